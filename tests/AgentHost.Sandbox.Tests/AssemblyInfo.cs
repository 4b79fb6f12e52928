// The sandbox is Linux-only (bubblewrap).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

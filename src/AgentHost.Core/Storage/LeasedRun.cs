using AgentHost.Core.Domain;

namespace AgentHost.Core.Storage;

/// <summary>A run its worker now holds, and the project it belongs to, so work done for it in the background stays there.</summary>
public sealed record LeasedRun(ThreadRun Run, string Project);

using System.Runtime.InteropServices;
using ModelContextProtocol.Client;

namespace AgentHost.Tools.Mcp;

/// <summary>
/// How a stdio server is started: only the environment configured for it, a minimal <c>PATH</c> and its own
/// <c>HOME</c> (never AgentHost's environment, so never its provider keys), and, when AgentHost runs as root, under
/// its own unprivileged uid through <c>setpriv</c> with no capabilities and no way to gain privileges.
/// </summary>
internal static partial class StdioLaunch
{
    public const string MinimalPath = "/usr/local/bin:/usr/bin:/bin";

    public static StdioClientTransportOptions Options(string label, McpServerOptions server, string home, int? uid, Action<string> stderr)
    {
        Directory.CreateDirectory(home);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal) { ["PATH"] = MinimalPath, ["HOME"] = home };
        foreach (var (name, value) in server.Env)
        {
            environment[name] = value;
        }

        var command = server.Command!;
        var arguments = new List<string>(server.Args);
        if (uid is int id)
        {
            GiveTo(home, id);
            arguments.InsertRange(0, [$"--reuid={id}", $"--regid={id}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--", command]);
            command = SetprivPath;
        }

        return new StdioClientTransportOptions
        {
            Command = command,
            Arguments = arguments,
            Name = label,
            WorkingDirectory = server.WorkingDirectory ?? home,
            InheritEnvironmentVariables = false,
            EnvironmentVariables = environment,
            StandardErrorLines = stderr,
            ShutdownTimeout = TimeSpan.FromSeconds(3),
        };
    }

    /// <summary>The uid for the server at <paramref name="index"/> when AgentHost is root; null otherwise (the server runs as AgentHost's user).</summary>
    public static int? UidFor(int index, McpOptions options) =>
        Environment.IsPrivilegedProcess && File.Exists(SetprivPath) ? options.UidRangeStart + index : null;

    private const string SetprivPath = "/usr/bin/setpriv";

    private static void GiveTo(string home, int uid)
    {
        if (Chown(home, uid, uid) != 0)
        {
            throw new McpServerUnavailableException($"Could not give the server's home {home} to uid {uid} (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, int owner, int group);
}

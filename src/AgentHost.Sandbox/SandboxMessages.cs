using AgentHost.Core.Sandbox;

namespace AgentHost.Sandbox;

/// <summary>The lines a call's logs end with when a limit stopped it: what happened, the limit, and the setting that sets it.</summary>
internal static class SandboxMessages
{
    public const string Lost = "The Python session was lost, so the session was restarted: variables, imports and files in /mnt/data are gone.";

    public static string Describe(SandboxFailure failure, SandboxOptions options, bool killed, TimeSpan? callTimeout = null) => failure switch
    {
        SandboxFailure.WallTime => $"Execution stopped: the call ran longer than the limit of {(callTimeout ?? options.CallTimeout).TotalSeconds:0.#} s"
            + (callTimeout is null || callTimeout == options.CallTimeout ? " (AgentHost:Sandbox:CallTimeout)." : ".")
            + (killed ? " It did not stop when interrupted. " + Lost : " Variables set before the interrupted line are kept."),
        SandboxFailure.CpuTime => $"Execution stopped: the call used more than {options.CpuSecondsPerCall} s of CPU time (AgentHost:Sandbox:CpuSecondsPerCall). Variables set before it are kept.",
        SandboxFailure.Memory when killed => $"Execution stopped: the session's processes together used more than {options.SessionMemoryLimitMB} MB (AgentHost:Sandbox:SessionMemoryLimitMB; files in /mnt/data and /tmp count too), so the session was killed. " + Lost,
        SandboxFailure.Memory => $"Execution stopped: out of memory; the session may use at most {options.MemoryLimitMB} MB (AgentHost:Sandbox:MemoryLimitMB). Work on smaller pieces of data.",
        SandboxFailure.Processes => $"Execution stopped: no more processes can be started; the session may run at most {options.MaxProcesses} processes and threads (AgentHost:Sandbox:MaxProcesses). Processes started by the call were stopped.",
        SandboxFailure.Output => $"Execution stopped: the output passed the limit of {options.MaxOutputBytes} bytes (AgentHost:Sandbox:MaxOutputBytes) and the rest was discarded. Print less, or write large results to a file in /mnt/data."
            + (killed ? " It did not stop when interrupted. " + Lost : string.Empty),
        SandboxFailure.Violation => Violation("it broke the sandbox driver's protocol"),
        _ => "The Python process exited unexpectedly. " + Lost,
    };

    public static string Violation(string reason) =>
        $"Execution stopped: the session was killed because {reason}. " + Lost;

    /// <summary>The note for what a call could not bring back; empty when it brought everything.</summary>
    public static string Skipped(int files, int images, SandboxOptions options) =>
        (files > 0
            ? $"[AgentHost: {files} more file(s) changed in /mnt/data were not collected: a call collects at most {options.MaxFilesPerCall} files and {options.MaxFileBytesPerCall / (1024 * 1024)} MB (AgentHost:Sandbox:MaxFilesPerCall, MaxFileBytesPerCall). They are still in /mnt/data.]\n"
            : string.Empty)
        + (images > 0
            ? $"[AgentHost: {images} more figure(s) were not shown: a call shows at most {options.MaxImagesPerCall}, each at most {options.MaxImageBytes / (1024 * 1024)} MB (AgentHost:Sandbox:MaxImagesPerCall, MaxImageBytes).]\n"
            : string.Empty);
}

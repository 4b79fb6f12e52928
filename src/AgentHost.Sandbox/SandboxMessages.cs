using AgentHost.Core.Sandbox;

namespace AgentHost.Sandbox;

/// <summary>The lines a call's logs end with when a limit stopped it: what happened, the limit, and the setting that sets it.</summary>
internal static class SandboxMessages
{
    public const string Lost = "The Python session was lost, so the session was restarted: variables, imports and files in /mnt/data are gone.";

    public static string Describe(SandboxFailure failure, SandboxOptions options, bool killed) => failure switch
    {
        SandboxFailure.WallTime => $"Execution stopped: the call ran longer than the limit of {options.CallTimeout.TotalSeconds:0.#} s (AgentHost:Sandbox:CallTimeout)."
            + (killed ? " It did not stop when interrupted. " + Lost : " Variables set before the interrupted line are kept."),
        SandboxFailure.CpuTime => $"Execution stopped: the call used more than {options.CpuSecondsPerCall} s of CPU time (AgentHost:Sandbox:CpuSecondsPerCall). Variables set before it are kept.",
        SandboxFailure.Memory => $"Execution stopped: out of memory; the session may use at most {options.MemoryLimitMB} MB (AgentHost:Sandbox:MemoryLimitMB). Work on smaller pieces of data.",
        SandboxFailure.Processes => $"Execution stopped: no more processes can be started; the session may run at most {options.MaxProcesses} processes and threads (AgentHost:Sandbox:MaxProcesses). Processes started by the call were stopped.",
        SandboxFailure.Output => $"Execution stopped: the output passed the limit of {options.MaxOutputBytes} bytes (AgentHost:Sandbox:MaxOutputBytes) and the rest was discarded. Print less, or write large results to a file in /mnt/data."
            + (killed ? " It did not stop when interrupted. " + Lost : string.Empty),
        _ => "The Python process exited unexpectedly. " + Lost,
    };
}

using AgentHost.Core.Sandbox;

namespace AgentHost.Core.Tools.CodeInterpreter;

/// <summary>Exclusive use of a thread's live session for one call; disposing it lets the next call in.</summary>
internal sealed class ThreadSandboxLease(ThreadSandbox entry, TimeProvider time, string? resetNotice) : IDisposable
{
    public ISandboxSession Session => entry.Session!;

    /// <summary>Set when the thread had a session before and this one is new: the model is told its state is gone.</summary>
    public string? ResetNotice { get; } = resetNotice;

    public IDictionary<string, string> Inputs => entry.Inputs;

    public void RecordOutput(string sandboxPath, string fileId)
    {
        lock (entry.Outputs)
        {
            entry.Outputs[sandboxPath] = fileId;
        }
    }

    public void Dispose()
    {
        entry.LastUsed = time.GetUtcNow();
        entry.Gate.Release();
    }
}

using System.Collections.Concurrent;

namespace AgentHost.Core.Engine;

/// <summary>Cancellation tokens of the runs executing in this process, so a cancel request stops a model call at once.</summary>
public sealed class RunCancellations
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> executing = new();

    internal CancellationTokenSource Register(string runId, CancellationToken stopping)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        executing[runId] = source;
        return source;
    }

    internal void Unregister(string runId) => executing.TryRemove(runId, out _);

    /// <summary>Whether the run executes in this process now.</summary>
    public bool IsExecuting(string runId) => executing.ContainsKey(runId);

    /// <summary>Signals the run if it executes here; returns whether it did.</summary>
    public bool Signal(string runId)
    {
        if (!executing.TryGetValue(runId, out var source))
        {
            return false;
        }

        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Finished meanwhile; nothing left to stop.
        }

        return true;
    }
}

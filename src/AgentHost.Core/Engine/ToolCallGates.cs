using System.Collections.Concurrent;
using AgentHost.Core.Tools;

namespace AgentHost.Core.Engine;

/// <summary>
/// The <see cref="IToolCallGate"/> of each run that has one, by run id: the library attaches its agent's permissions and
/// hooks for the turn it drives, so the executor checks every call of every source through them.
/// </summary>
public sealed class ToolCallGates
{
    private readonly ConcurrentDictionary<string, IToolCallGate> byRun = new(StringComparer.Ordinal);

    /// <summary>Checks <paramref name="runId"/>'s calls with <paramref name="gate"/> until the returned handle is disposed.</summary>
    public IDisposable Attach(string runId, IToolCallGate gate)
    {
        byRun[runId] = gate;
        return new Detach(this, runId, gate);
    }

    /// <summary>The gate of <paramref name="runId"/>, or null when its calls run unchecked.</summary>
    public IToolCallGate? For(string runId) => byRun.GetValueOrDefault(runId);

    private sealed class Detach(ToolCallGates gates, string runId, IToolCallGate gate) : IDisposable
    {
        public void Dispose() => gates.byRun.TryRemove(new KeyValuePair<string, IToolCallGate>(runId, gate));
    }
}

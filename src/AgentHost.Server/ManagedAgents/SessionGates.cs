using System.Collections.Concurrent;
using AgentHost.Core.Engine;

namespace AgentHost.Server.ManagedAgents;

/// <summary>Attaches <see cref="SessionToolGate"/> to each running turn (in memory: attached again when a turn resumes after a restart).</summary>
internal sealed class SessionGates(ToolCallGates gates, SessionToolGate gate)
{
    private readonly ConcurrentDictionary<string, IDisposable> attached = new(StringComparer.Ordinal);

    public void Attach(string runId) => attached.GetOrAdd(runId, id => gates.Attach(id, gate));

    public void Detach(string runId)
    {
        if (attached.TryRemove(runId, out var handle))
        {
            handle.Dispose();
        }
    }
}

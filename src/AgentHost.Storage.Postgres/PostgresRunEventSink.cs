using AgentHost.Core.Engine;
using AgentHost.Core.Events;

namespace AgentHost.Storage.Postgres;

/// <summary>The engine's event sink with many nodes: this node's streams get each event, and so does the node streaming its run, if another.</summary>
public sealed class PostgresRunEventSink(RunEventHub hub, PostgresRunStreams streams) : IRunEventSink
{
    public void Publish(AgentEvent agentEvent)
    {
        hub.Publish(agentEvent);
        streams.Published(agentEvent);
    }
}

using AgentHost.Core.Events;

namespace AgentHost.Core.Engine;

/// <summary>Where the engine reports what a run does, as it happens, for streaming clients and library callers.</summary>
public interface IRunEventSink
{
    /// <summary>Delivers <paramref name="agentEvent"/> to whoever watches its run; must not block.</summary>
    void Publish(AgentEvent agentEvent);
}

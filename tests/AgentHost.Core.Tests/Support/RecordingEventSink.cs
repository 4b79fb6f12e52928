using System.Collections.Concurrent;
using AgentHost.Core.Engine;
using AgentHost.Core.Events;

namespace AgentHost.Core.Tests.Support;

/// <summary>Keeps every event the engine publishes, in order.</summary>
public sealed class RecordingEventSink : IRunEventSink
{
    private readonly ConcurrentQueue<AgentEvent> events = new();

    public IReadOnlyList<AgentEvent> Events => [.. events];

    public void Publish(AgentEvent agentEvent) => events.Enqueue(agentEvent);

    public IReadOnlyList<T> OfType<T>() where T : AgentEvent => [.. events.OfType<T>()];
}

using AgentHost.Core.Domain;

namespace AgentHost.Core.Observability;

/// <summary>Observes nothing: the executor's default when no observer is registered.</summary>
public sealed class NullRunObserver : IRunObserver, IToolCallTrace
{
    public static NullRunObserver Instance { get; } = new();

    public IToolCallTrace StartToolCall(ThreadRun run, string callId, string toolType, string arguments) => this;

    public ValueTask CompleteAsync(string output) => ValueTask.CompletedTask;

    public void Fail(Exception exception)
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

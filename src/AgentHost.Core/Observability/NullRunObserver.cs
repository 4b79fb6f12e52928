using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Observability;

/// <summary>Observes nothing: the executor's default when no observer is registered.</summary>
public sealed class NullRunObserver : IRunObserver, IModelCallTrace, IToolCallTrace
{
    public static NullRunObserver Instance { get; } = new();

    public ValueTask<string?> CheckBeforeModelCallAsync(ThreadRun run, Prompt prompt, int? maxOutputTokens, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

    public IModelCallTrace StartModelCall(ThreadRun run, Prompt prompt, ChatOptions options) => this;

    public IToolCallTrace StartToolCall(ThreadRun run, string callId, string toolType, string arguments) => this;

    public void FirstUpdate()
    {
    }

    public ValueTask CompleteAsync(ModelCallOutcome outcome) => ValueTask.CompletedTask;

    public ValueTask CompleteAsync(string output) => ValueTask.CompletedTask;

    public void Fail(Exception exception)
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

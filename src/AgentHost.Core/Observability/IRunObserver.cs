using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Observability;

/// <summary>
/// What the run executor tells the outside about a run as it goes: each model call and each tool call it makes,
/// and a last word before a model call (budgets). Tracing, costs and metrics hang off this one seam, so the
/// executor stays free of them.
/// </summary>
public interface IRunObserver
{
    /// <summary>
    /// Asked before each model call; returns the <c>incomplete_details.reason</c> that ends the run instead
    /// (a budget that this call could overrun), or null to go ahead.
    /// </summary>
    ValueTask<string?> CheckBeforeModelCallAsync(ThreadRun run, Prompt prompt, int? maxOutputTokens, CancellationToken cancellationToken);

    /// <summary>A model call starts with this prompt (after truncation) and these options (tools offered).</summary>
    IModelCallTrace StartModelCall(ThreadRun run, Prompt prompt, ChatOptions options);

    /// <summary>A tool the server runs itself starts; <paramref name="arguments"/> is its JSON input.</summary>
    IToolCallTrace StartToolCall(ThreadRun run, string callId, string toolType, string arguments);
}

using AgentHost.Core.Domain;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Observability;

/// <summary>
/// Who a model call is made for and through which door: it travels with the call in
/// <see cref="ChatOptions.AdditionalProperties"/>, so the model-call pipeline (traces, costs, budgets, the usage
/// ledger) attributes and limits every call the same way, whichever front door made it. The pipeline removes it
/// before the call reaches a provider.
/// </summary>
public sealed record ModelCallScope
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key the scope travels under.</summary>
    public const string PropertyName = "agenthost.scope";

    /// <summary>One of <see cref="ModelCallEntryPoints"/>.</summary>
    public required string EntryPoint { get; init; }

    /// <summary>Who pays (<c>key_…</c> or <c>none</c>); null takes the server's own key.</summary>
    public string? ApiKeyId { get; init; }

    /// <summary>The gateway session the call belongs to, if any.</summary>
    public string? SessionId { get; init; }

    public string? RunId { get; init; }

    /// <summary>
    /// The runs this run is a sub-assistant run of, outermost first: the call's spend counts toward each of their
    /// totals too (their <c>cost</c> includes their children's), and their run budgets cover it.
    /// </summary>
    public IReadOnlyList<string> ParentRunIds { get; init; } = [];

    public string? ThreadId { get; init; }

    public string? AssistantId { get; init; }

    /// <summary>The run's metadata, where its own budget may be set (<c>agenthost_budget_usd</c>, <c>agenthost_budget_tokens</c>).</summary>
    public IReadOnlyDictionary<string, string>? RunMetadata { get; init; }

    /// <summary>A session budget the caller asked for (a request header), overriding the configured default.</summary>
    public decimal? SessionBudgetUsd { get; init; }

    /// <summary>As <see cref="SessionBudgetUsd"/>, in input plus output tokens.</summary>
    public long? SessionBudgetTokens { get; init; }

    /// <summary>Request fields the front door accepted but could not carry to the model; the call's trace lists them.</summary>
    public IReadOnlyList<string> DroppedFields { get; init; } = [];

    /// <summary>The prompt's size as the caller already counted it, so the pipeline need not count it again.</summary>
    public int? EstimatedPromptTokens { get; init; }

    /// <summary>
    /// The scope of a model call a run makes (an Assistants run, or a run of the front door its profile names), its
    /// prompt counted at <paramref name="estimatedPromptTokens"/>.
    /// </summary>
    public static ModelCallScope ForRun(ThreadRun run, int estimatedPromptTokens) => new()
    {
        EntryPoint = run.Profile?.EntryPoint ?? ModelCallEntryPoints.Assistants,
        RunId = run.Id,
        ParentRunIds = ParentRunsOf(run),
        ThreadId = run.ThreadId,
        AssistantId = string.IsNullOrEmpty(run.AssistantId) ? null : run.AssistantId,
        RunMetadata = run.Metadata,
        SessionId = run.Profile?.SessionId,
        SessionBudgetUsd = run.Profile?.SessionBudgetUsd,
        EstimatedPromptTokens = estimatedPromptTokens,
    };

    /// <summary>The run metadata key listing the runs a sub-assistant run belongs under, outermost first, comma-separated.</summary>
    public const string ParentRunsKey = "agenthost_parent_runs";

    /// <summary>The runs <paramref name="run"/> is a sub-assistant run of, outermost first; empty for a run of its own.</summary>
    public static IReadOnlyList<string> ParentRunsOf(ThreadRun run) =>
        run.Metadata.TryGetValue(ParentRunsKey, out var parents) && parents.Length > 0 ? parents.Split(',', StringSplitOptions.RemoveEmptyEntries) : [];

    /// <summary>The scope <paramref name="options"/> carries, or null.</summary>
    public static ModelCallScope? Of(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(PropertyName, out var value) == true ? value as ModelCallScope : null;

    /// <summary>Puts this scope on <paramref name="options"/> (replacing one already there) and returns them.</summary>
    public ChatOptions AttachTo(ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (options.AdditionalProperties ??= [])[PropertyName] = this;
        return options;
    }

    /// <summary><paramref name="options"/> without a scope: a copy when they carried one, else the same instance.</summary>
    public static ChatOptions? Detach(ChatOptions? options)
    {
        if (options?.AdditionalProperties?.ContainsKey(PropertyName) != true)
        {
            return options;
        }

        var copy = options.Clone();
        copy.AdditionalProperties!.Remove(PropertyName);
        if (copy.AdditionalProperties.Count == 0)
        {
            copy.AdditionalProperties = null;
        }

        return copy;
    }
}

using System.Runtime.CompilerServices;
using AgentHost.Providers.Routing;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace AgentHost.Providers.Shaping;

/// <summary>
/// The last step before a provider: makes a request what the serving model accepts, whichever API it came in
/// through, and tells the observers each change (they land on the call's trace as <c>adjusted_field</c>).
/// <list type="bullet">
/// <item><c>max_tokens</c> above the model's limit (<see cref="ModelOutputLimits"/>) is clamped to it.</item>
/// <item>Claude gets no <c>temperature</c>, <c>top_p</c> or <c>top_k</c>: the current Messages API (and the SDK that
/// speaks it) has none.</item>
/// <item>OpenAI reasoning models (o-series, gpt-5) take no <c>temperature</c>, <c>top_p</c> or penalties; they are left out.
/// Other OpenAI models take no reasoning effort, and Claude no thinking with a forced tool choice: left out.</item>
/// <item>Tool schemas are normalised for the target (<see cref="ToolSchemaNormalizer"/>).</item>
/// <item>Off Anthropic, Claude Code's per-request attribution line (<c>x-anthropic-billing-header: …</c>, first in its
/// system prompt and different on every request) is left out, so the prompt's prefix stays the same across turns
/// and the target's prefix cache keeps hitting; Anthropic reads it and caches past it.</item>
/// <item>Reasoning goes back only where it came from: Anthropic gets thinking blocks that carry a signature (its own;
/// an unsigned one from another model would be refused), and its redacted blocks as <c>redacted_thinking</c>
/// (<see cref="RedactedThinking"/>); an OpenAI-wire model gets none, as Chat Completions has no field for prior reasoning.</item>
/// </list>
/// </summary>
internal sealed class ShapedChatClient(
    IChatClient inner, ModelTarget target, TargetDialect dialect, int? outputLimit, NormalizedSchemaCache schemas, IReadOnlyList<IModelCallObserver> observers)
    : DelegatingChatClient(inner)
{
    private const string AttributionPrefix = "x-anthropic-billing-header:";

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(Messages(messages), Options(options), cancellationToken);
        if (dialect == TargetDialect.Anthropic)
        {
            foreach (var message in response.Messages)
            {
                RedactedThinking.Mark(message.Contents);
            }
        }

        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Shaped on the first MoveNextAsync, where the caller's trace context is current.
        await foreach (var update in base.GetStreamingResponseAsync(Messages(messages), Options(options), cancellationToken))
        {
            if (dialect == TargetDialect.Anthropic)
            {
                RedactedThinking.Mark(update.Contents);
            }

            yield return update;
        }
    }

    private bool IsReasoningModel =>
        dialect == TargetDialect.OpenAI && (target.Model.StartsWith('o') || target.Model.StartsWith("gpt-5", StringComparison.OrdinalIgnoreCase));

    private ChatOptions? Options(ChatOptions? options)
    {
        if (options is null)
        {
            return null;
        }

        ChatOptions? shaped = null;
        if (outputLimit is int limit && options.MaxOutputTokens > limit)
        {
            Adjusted("max_tokens", $"{options.MaxOutputTokens} is over {target.Model}'s limit; sent {limit}");
            shaped ??= options.Clone();
            shaped.MaxOutputTokens = limit;
            if (dialect == TargetDialect.Anthropic && options.RawRepresentationFactory is { } factory)
            {
                // A front door's own Anthropic request (thinking, tool_choice) carries max_tokens too, which the adapter prefers.
                shaped.RawRepresentationFactory = client => factory(client) switch
                {
                    MessageCreateParams raw when raw.MaxTokens > limit => raw with { MaxTokens = limit },
                    var other => other,
                };
            }
        }

        if (dialect == TargetDialect.Anthropic && (options.Temperature is not null || options.TopP is not null || options.TopK is not null))
        {
            AdjustedSampling(options, "the current Messages API takes no sampling parameters; temperature, top_p and top_k not sent");
            shaped ??= options.Clone();
            (shaped.Temperature, shaped.TopP, shaped.TopK) = (null, null, null);
        }

        if (IsReasoningModel && (options.Temperature is not null || options.TopP is not null || options.FrequencyPenalty is not null || options.PresencePenalty is not null))
        {
            AdjustedSampling(options, $"reasoning model {target.Model} takes only its default sampling; temperature, top_p and penalties left out");
            shaped ??= options.Clone();
            (shaped.Temperature, shaped.TopP, shaped.FrequencyPenalty, shaped.PresencePenalty) = (null, null, null, null);
        }

        if (options.Reasoning is not null && dialect == TargetDialect.OpenAI && !IsReasoningModel)
        {
            Adjusted("reasoning_effort", $"{target.Model} is not a reasoning model; reasoning effort not sent");
            (shaped ??= options.Clone()).Reasoning = null;
        }

        if (options.Reasoning is not null && dialect == TargetDialect.Anthropic && options.ToolMode is RequiredChatToolMode)
        {
            Adjusted("thinking", "Claude takes no thinking with a forced tool choice; thinking not enabled");
            (shaped ??= options.Clone()).Reasoning = null;
        }

        if (options.Tools is { Count: > 0 } tools && Tools(tools) is { } normalized)
        {
            (shaped ??= options.Clone()).Tools = normalized;
        }

        return shaped ?? options;
    }

    private List<AITool>? Tools(IList<AITool> tools)
    {
        List<AITool>? normalized = null;
        for (var i = 0; i < tools.Count; i++)
        {
            if (tools[i] is AIFunctionDeclaration declaration && declaration is not AIFunction)
            {
                var (schema, changed) = schemas.Normalize(declaration.JsonSchema, dialect);
                if (changed.Count > 0)
                {
                    normalized ??= [.. tools];
                    normalized[i] = new NormalizedToolDeclaration(declaration, schema);
                    Adjusted($"tools[{declaration.Name}].input_schema", $"normalised for {target.Provider} ({string.Join(", ", changed)})");
                }
            }
        }

        return normalized;
    }

    private IEnumerable<ChatMessage> Messages(IEnumerable<ChatMessage> messages)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        List<ChatMessage>? shaped = null;
        var attribution = 0;
        var reasoning = 0;
        for (var i = 0; i < list.Count; i++)
        {
            var message = list[i];
            List<AIContent>? contents = null;
            for (var j = 0; j < message.Contents.Count; j++)
            {
                var content = message.Contents[j];
                if (IsAttribution(message, content))
                {
                    attribution++;
                }
                else if (dialect == TargetDialect.Anthropic && message.Role == ChatRole.Assistant && RedactedThinking.NeedsBlock(content))
                {
                    // A redacted block goes back in Anthropic's own form; the contents are copied from here on.
                    contents ??= [.. message.Contents.Take(j)];
                    contents.Add(RedactedThinking.AsBlock((TextReasoningContent)content));
                    continue;
                }
                else if (IsForeignReasoning(message, content))
                {
                    reasoning++;
                }
                else
                {
                    contents?.Add(content);
                    continue;
                }

                contents ??= [.. message.Contents.Take(j)];
            }

            if (contents is not null)
            {
                shaped ??= [.. list.Take(i)];
                if (contents.Count > 0)
                {
                    var copy = message.Clone();
                    copy.Contents = contents;
                    shaped.Add(copy);
                }
            }
            else
            {
                shaped?.Add(message);
            }
        }

        if (attribution > 0)
        {
            Adjusted("system", "Claude Code's attribution line (x-anthropic-billing-header) left out, so the prompt's prefix stays cacheable");
        }

        if (reasoning > 0)
        {
            Adjusted("messages[].thinking", dialect == TargetDialect.Anthropic
                ? $"{reasoning} thinking block(s) without an Anthropic signature (from another model) not sent"
                : $"{reasoning} thinking block(s) not sent: {target.Provider} takes no prior reasoning");
        }

        return shaped ?? list;
    }

    private bool IsAttribution(ChatMessage message, AIContent content) =>
        dialect != TargetDialect.Anthropic && message.Role == ChatRole.System
        && content is TextContent text && text.Text.StartsWith(AttributionPrefix, StringComparison.Ordinal);

    private bool IsForeignReasoning(ChatMessage message, AIContent content) =>
        message.Role == ChatRole.Assistant && content is TextReasoningContent thought
        && (dialect != TargetDialect.Anthropic || string.IsNullOrEmpty(thought.ProtectedData));

    /// <summary>Noted only when a value other than the default is lost: Assistants runs send temperature 1 on every call.</summary>
    private void AdjustedSampling(ChatOptions options, string reason)
    {
        if (options.Temperature is not (null or 1f) || options.TopP is not (null or 1f) || options.TopK is not null
            || options.FrequencyPenalty is not (null or 0f) || options.PresencePenalty is not (null or 0f))
        {
            Adjusted("temperature", reason);
        }
    }

    private void Adjusted(string field, string reason)
    {
        var adjusted = new ModelRequestAdjustedEvent { Provider = target.Provider, Model = target.Model, Field = field, Reason = reason };
        foreach (var observer in observers)
        {
            observer.OnAdjusted(adjusted);
        }
    }
}

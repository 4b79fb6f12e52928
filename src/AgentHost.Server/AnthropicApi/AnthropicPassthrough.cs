using System.Text.Json;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

using AgentHost.Server.Compat;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// What M.E.AI's options cannot say, handed to the provider adapter through <see cref="ChatOptions.RawRepresentationFactory"/>,
/// which receives the client actually serving the call (the primary or its fallback): an Anthropic upstream gets the
/// request's own <c>thinking</c>, <c>tool_choice</c> and <c>metadata</c>; an OpenAI reasoning model gets the effort the
/// thinking budget implies and the end-user id; other models get neither, as they would refuse them.
/// </summary>
internal sealed record AnthropicPassthrough(long MaxTokens, JsonElement? Thinking, JsonElement? ToolChoice, JsonElement? Metadata)
{
    public static readonly AnthropicPassthrough None = new(0, null, null, null);

    /// <summary><c>output_config.effort</c>: an OpenAI reasoning model's effort, taking precedence over the thinking budget's.</summary>
    public string? Effort { get; init; }

    public bool IsEmpty => Thinking is null && ToolChoice is null && Metadata is null && Effort is null;

    public object? Create(IChatClient client)
    {
        var metadata = client.GetService<ChatClientMetadata>();
        return metadata?.ProviderName switch
        {
            "anthropic" when metadata.DefaultModelId is { } model => ForAnthropic(model),
            "openai" => ForOpenAI(metadata.DefaultModelId),
            _ => null,
        };
    }

    private MessageCreateParams ForAnthropic(string model)
    {
        var body = new Dictionary<string, JsonElement>
        {
            ["model"] = JsonSerializer.SerializeToElement(model, CompatJsonContext.Default.String),
            ["max_tokens"] = JsonSerializer.SerializeToElement(MaxTokens, CompatJsonContext.Default.Int64),
            ["messages"] = EmptyArray,
        };
        Add(body, "thinking", Thinking);
        Add(body, "tool_choice", ToolChoice);
        Add(body, "metadata", Metadata);
        return MessageCreateParams.FromRawUnchecked(new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>(), body);
    }

    private ChatCompletionOptions? ForOpenAI(string? model)
    {
        var user = Metadata is { } metadata && metadata.TryGetProperty("user_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        var effort = IsReasoningModel(model) ? EffortNamed(Effort) ?? EffortOf(Thinking) : null;
        if (user is null && effort is null)
        {
            return null;
        }

        var options = new ChatCompletionOptions { EndUserId = user };
        if (effort is { } level)
        {
            options.ReasoningEffortLevel = level;
        }

        return options;
    }

    // The null arm is typed explicitly: a bare null would go through the level's implicit conversion from string, which throws.
    private static ChatReasoningEffortLevel? EffortNamed(string? effort) => effort switch
    {
        null => (ChatReasoningEffortLevel?)null,
        "low" => ChatReasoningEffortLevel.Low,
        "medium" => ChatReasoningEffortLevel.Medium,
        _ => ChatReasoningEffortLevel.High,
    };

    // Thinking budgets map to OpenAI's efforts at the budgets the Anthropic adapter uses for them the other way.
    private static ChatReasoningEffortLevel? EffortOf(JsonElement? thinking) =>
        thinking is { } t && t.TryGetProperty("type", out var type) && type.GetString() == "enabled"
            && t.TryGetProperty("budget_tokens", out var budget) && budget.TryGetInt64(out var tokens)
            ? tokens switch
            {
                < 4096 => ChatReasoningEffortLevel.Low,
                < 16384 => ChatReasoningEffortLevel.Medium,
                _ => ChatReasoningEffortLevel.High,
            }
            : null;

    private static bool IsReasoningModel(string? model) =>
        model is not null && (model.StartsWith('o') || model.StartsWith("gpt-5", StringComparison.OrdinalIgnoreCase));

    private static void Add(Dictionary<string, JsonElement> body, string name, JsonElement? value)
    {
        if (value is { } element)
        {
            body[name] = element;
        }
    }

    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement.Clone();
}

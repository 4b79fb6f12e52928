using System.Text.Json.Serialization;

namespace AgentHost.Core.Domain;

/// <summary>Token usage of a run or step; details are the original service's extension of the spec.</summary>
public sealed record Usage
{
    public required int PromptTokens { get; init; }
    public required int CompletionTokens { get; init; }
    public int TotalTokens => PromptTokens + CompletionTokens;

    [JsonPropertyName("prompt_token_details")]
    public PromptTokenDetails PromptTokenDetails { get; init; } = new(0);

    public CompletionTokensDetails CompletionTokensDetails { get; init; } = new(0);

    public Usage Add(Usage other) => new()
    {
        PromptTokens = PromptTokens + other.PromptTokens,
        CompletionTokens = CompletionTokens + other.CompletionTokens,
        PromptTokenDetails = new(PromptTokenDetails.CachedTokens + other.PromptTokenDetails.CachedTokens),
        CompletionTokensDetails = new(CompletionTokensDetails.ReasoningTokens + other.CompletionTokensDetails.ReasoningTokens),
    };
}

public sealed record PromptTokenDetails(int CachedTokens);

public sealed record CompletionTokensDetails(int ReasoningTokens);

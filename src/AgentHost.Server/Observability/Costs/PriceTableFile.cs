using System.Text.Json.Serialization;

namespace AgentHost.Server.Observability.Costs;

/// <summary>The price table as it is written in <c>prices.json</c> (US dollars per million tokens).</summary>
public sealed record PriceTableFile
{
    public required string Version { get; init; }
    public required IReadOnlyList<PricedModel> Models { get; init; }
}

public sealed record PricedModel
{
    /// <summary>The model name; dated snapshots (<c>gpt-4o-2024-08-06</c>) and <c>-latest</c> match it too.</summary>
    public required string Model { get; init; }
    public required string Provider { get; init; }

    /// <summary>Prices in the order they took effect.</summary>
    public required IReadOnlyList<ModelPrice> Prices { get; init; }
}

public sealed record ModelPrice
{
    /// <summary>The UTC day these prices took effect, <c>yyyy-MM-dd</c>.</summary>
    public required string Effective { get; init; }
    public required decimal Input { get; init; }
    public required decimal Output { get; init; }

    /// <summary>Input read from a prompt cache; the input price when absent.</summary>
    public decimal? CachedInput { get; init; }

    /// <summary>Input written to a prompt cache; the input price when absent (OpenAI charges nothing extra).</summary>
    public decimal? CacheWrite { get; init; }

    public LongContextPrice? LongContext { get; init; }
}

/// <summary>Prices for a whole call whose input is over <see cref="ThresholdInputTokens"/>.</summary>
public sealed record LongContextPrice
{
    public required int ThresholdInputTokens { get; init; }
    public required decimal Input { get; init; }
    public required decimal Output { get; init; }
    public decimal? CachedInput { get; init; }
    public decimal? CacheWrite { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(PriceTableFile))]
internal sealed partial class PriceTableJsonContext : JsonSerializerContext;

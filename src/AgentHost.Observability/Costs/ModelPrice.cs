namespace AgentHost.Observability.Costs;

/// <summary>A model's prices from the day they took effect, US dollars per million tokens.</summary>
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

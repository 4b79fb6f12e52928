namespace AgentHost.Providers;

/// <summary>A request changed to be accepted by the model serving it (a clamped <c>max_tokens</c>, a normalised tool schema).</summary>
public sealed record ModelRequestAdjustedEvent
{
    public required string Provider { get; init; }

    public required string Model { get; init; }

    /// <summary>The request field changed, e.g. <c>max_tokens</c> or <c>tools[Read].input_schema</c>.</summary>
    public required string Field { get; init; }

    /// <summary>What was done and why, e.g. <c>32000 is over gpt-4o's limit; sent 16384</c>.</summary>
    public required string Reason { get; init; }
}

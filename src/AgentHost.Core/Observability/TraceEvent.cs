namespace AgentHost.Core.Observability;

/// <summary>Something that happened inside a model call: a <c>retry</c> or a <c>fallback</c>, with why.</summary>
public sealed record TraceEvent
{
    public required string Type { get; init; }

    /// <summary>Unix time in milliseconds.</summary>
    public required long At { get; init; }
    public required string Provider { get; init; }
    public required string Model { get; init; }
    public int? Attempt { get; init; }
    public int? StatusCode { get; init; }
    public long? DelayMs { get; init; }
    public required string Reason { get; init; }
    public string? FallbackProvider { get; init; }
    public string? FallbackModel { get; init; }
}

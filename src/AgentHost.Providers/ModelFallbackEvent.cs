namespace AgentHost.Providers;

/// <summary>A model whose attempts are exhausted, handing the call to its fallback model.</summary>
public sealed record ModelFallbackEvent
{
    public required string Provider { get; init; }

    public required string Model { get; init; }

    public required string FallbackProvider { get; init; }

    public required string FallbackModel { get; init; }

    /// <summary>The HTTP status of the last failure, or null for a timeout or a broken connection.</summary>
    public int? StatusCode { get; init; }

    public required string Reason { get; init; }
}

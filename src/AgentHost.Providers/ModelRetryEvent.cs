namespace AgentHost.Providers;

/// <summary>A failed attempt that will be retried.</summary>
public sealed record ModelRetryEvent
{
    /// <summary><c>anthropic</c>, <c>openai</c>, or the name of a compatible server.</summary>
    public required string Provider { get; init; }

    public required string Model { get; init; }

    /// <summary>The attempt that failed, from 1.</summary>
    public required int Attempt { get; init; }

    /// <summary>The wait before the next attempt: the provider's <c>retry-after</c> when it sent one.</summary>
    public required TimeSpan Delay { get; init; }

    /// <summary>The HTTP status, or null for a timeout or a broken connection.</summary>
    public int? StatusCode { get; init; }

    /// <summary>What went wrong, for people: status, upstream error type and message.</summary>
    public required string Reason { get; init; }
}

namespace AgentHost.Core.Storage;

/// <summary>
/// A response of the Responses API as the store keeps it: the columns the store queries, and the front door's own JSON
/// of everything else (<see cref="Data"/>), so the store knows nothing of the wire shape.
/// </summary>
public sealed record StoredResponse
{
    public required string Id { get; init; }

    /// <summary>The project (tenant) the response belongs to; <see cref="Projects.Default"/> until tenancy lands.</summary>
    public string Project { get; init; } = ProjectScope.ForWrite;

    public required long CreatedAt { get; init; }

    /// <summary>The parent in its chain; chains are trees, as any response may be continued more than once.</summary>
    public string? PreviousResponseId { get; init; }

    /// <summary>The conversation its input and output items are appended to, if any.</summary>
    public string? ConversationId { get; init; }

    /// <summary>True once its output items are kept (when its run ended).</summary>
    public bool OutputSaved { get; init; }

    /// <summary>The front door's JSON of the response's settings.</summary>
    public required string Data { get; init; }
}

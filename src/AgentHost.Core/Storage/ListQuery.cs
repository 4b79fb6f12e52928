namespace AgentHost.Core.Storage;

/// <summary>Cursor pagination as the Assistants API does it: newest first by default, <c>after</c>/<c>before</c> are object ids.</summary>
public sealed record ListQuery
{
    public int Limit { get; init; } = 20;
    public bool Ascending { get; init; }
    public string? After { get; init; }
    public string? Before { get; init; }

    public static readonly ListQuery Default = new();
}

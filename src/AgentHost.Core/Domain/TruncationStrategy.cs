namespace AgentHost.Core.Domain;

/// <summary>How the thread is cut to fit the context: <c>auto</c> (oldest first) or <c>last_messages</c>.</summary>
public sealed record TruncationStrategy
{
    public required string Type { get; init; }
    public int? LastMessages { get; init; }

    public static readonly TruncationStrategy Auto = new() { Type = "auto" };
}

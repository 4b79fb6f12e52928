using System.Text.Json;
using AgentHost.Core.Conversations;

namespace AgentHost.Server.Observability.Sessions;

/// <summary>One turn of a Messages thread as the session view shows it: the messages sent and the reply's content.</summary>
public sealed record SessionThreadTurn
{
    public required string Id { get; init; }
    public string? PreviousMessageId { get; init; }
    public required string Model { get; init; }

    /// <summary>Unix seconds.</summary>
    public required long CreatedAt { get; init; }
    public required JsonElement Input { get; init; }
    public required JsonElement Reply { get; init; }
    public string? StopReason { get; init; }

    public static SessionThreadTurn From(MessageThreadTurn turn) => new()
    {
        Id = turn.Id,
        PreviousMessageId = turn.PreviousMessageId,
        Model = turn.Model,
        CreatedAt = turn.CreatedAt / 1000,
        Input = JsonElement.Parse(turn.Input),
        Reply = JsonElement.Parse(turn.Reply),
        StopReason = turn.StopReason,
    };
}

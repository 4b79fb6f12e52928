namespace AgentHost.Core.Conversations;

/// <summary>A Messages thread in a list: how long it is and where it stands, without its history.</summary>
/// <param name="ThreadId">The id of the thread's first reply.</param>
/// <param name="Turns">How many turns the thread holds.</param>
/// <param name="CreatedAt">Unix milliseconds of its first turn.</param>
/// <param name="LastTurnAt">Unix milliseconds of its latest turn.</param>
/// <param name="LastMessageId">The latest reply's id: the thread's tip, which a continuation names.</param>
/// <param name="LastModel">The model the latest turn asked for.</param>
/// <param name="SessionId">The gateway session of the latest turn.</param>
public sealed record MessageThreadSummary(string ThreadId, long Turns, long CreatedAt, long LastTurnAt, string LastMessageId, string LastModel, string? SessionId);

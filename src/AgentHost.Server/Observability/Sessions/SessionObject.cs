using AgentHost.Core.Observability;

namespace AgentHost.Server.Observability.Sessions;

/// <summary>A gateway session as <c>GET /v1/agenthost/sessions[/{id}]</c> shows it; <see cref="Calls"/> only in the single view.</summary>
public sealed record SessionObject
{
    public required string Id { get; init; }
    public string Object { get; init; } = "agenthost.session";

    /// <summary>Unix seconds of the first and the latest call.</summary>
    public required long FirstCallAt { get; init; }
    public required long LastCallAt { get; init; }

    /// <summary>Calls that produced tokens; <see cref="Errors"/> counts the failed ones.</summary>
    public required long ModelCalls { get; init; }
    public required long Errors { get; init; }
    public required long InputTokens { get; init; }
    public required long CachedInputTokens { get; init; }
    public required long CacheWriteTokens { get; init; }
    public required long OutputTokens { get; init; }
    public required decimal CostUsd { get; init; }
    public string? LastModel { get; init; }
    public IReadOnlyList<ModelCallRecord>? Calls { get; init; }

    /// <summary>The Messages threads whose turns the session made, with their history (single view only).</summary>
    public IReadOnlyList<SessionMessageThread>? MessageThreads { get; init; }

    public static SessionObject From(GatewaySession session, IReadOnlyList<ModelCallRecord>? calls = null) => new()
    {
        Id = session.Id,
        FirstCallAt = session.Spend.FirstAt / 1000,
        LastCallAt = session.Spend.LastAt / 1000,
        ModelCalls = session.Spend.ModelCalls,
        Errors = session.Spend.Errors,
        InputTokens = session.Spend.InputTokens,
        CachedInputTokens = session.Spend.CachedInputTokens,
        CacheWriteTokens = session.Spend.CacheWriteTokens,
        OutputTokens = session.Spend.OutputTokens,
        CostUsd = session.Spend.CostUsd,
        LastModel = session.LastModel,
        Calls = calls,
    };
}

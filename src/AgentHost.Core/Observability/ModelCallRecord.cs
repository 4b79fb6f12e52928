namespace AgentHost.Core.Observability;

/// <summary>
/// One model call in the usage ledger, written as the call ends (whatever the tracing setting): who it was for,
/// what was asked and served, the tokens and what they cost.
/// </summary>
public sealed record ModelCallRecord
{
    /// <summary>The call's id; its trace span, when tracing is on, has the same id.</summary>
    public required string Id { get; init; }

    /// <summary>Unix time in milliseconds.</summary>
    public required long StartedAt { get; init; }
    public long DurationMs { get; init; }
    public long? TimeToFirstUpdateMs { get; init; }

    /// <summary>One of <see cref="ModelCallEntryPoints"/>.</summary>
    public required string EntryPoint { get; init; }
    public required string ApiKeyId { get; init; }

    /// <summary>The project the call was made in: the current one (<see cref="Storage.ProjectScope"/>) when the record is made.</summary>
    public string Project { get; init; } = Storage.ProjectScope.ForWrite;
    public string? SessionId { get; init; }
    public string? RunId { get; init; }

    /// <summary>The runs <see cref="RunId"/> is a sub-assistant run of (outermost first); their totals include this call.</summary>
    public IReadOnlyList<string> ParentRunIds { get; init; } = [];
    public string? ThreadId { get; init; }
    public string? AssistantId { get; init; }

    public string? Provider { get; init; }

    /// <summary>The model the caller asked for (an alias stays an alias here).</summary>
    public required string Model { get; init; }

    /// <summary>The model that answered, as the provider named it.</summary>
    public string? ServedModel { get; init; }

    /// <summary><see cref="ModelCallStatuses"/>: <c>ok</c>, <c>error</c> or <c>cancelled</c>.</summary>
    public required string Status { get; init; }
    public string? Error { get; init; }

    /// <summary>The finish reason the model gave (<c>stop</c>, <c>length</c>, <c>tool_calls</c>…).</summary>
    public string? StopReason { get; init; }

    public TraceUsage? Usage { get; init; }

    /// <summary>Null when the served model has no price in the table.</summary>
    public TraceCost? Cost { get; init; }

    /// <summary>How many tools the call offered the model.</summary>
    public int ToolsOffered { get; init; }

    /// <summary>The names of the tools the model asked to call, in order.</summary>
    public IReadOnlyList<string> ToolCalls { get; init; } = [];
}

using System.Text.Json;

namespace AgentHost.Core.Observability;

/// <summary>
/// One recorded step of a trace: a model call (<see cref="TraceSpanKinds.ModelCall"/>) with what was sent and
/// returned, or a tool call (<see cref="TraceSpanKinds.ToolCall"/>) with its input and output. A run's spans carry
/// its ids; a gateway call's carry its session.
/// </summary>
public sealed record TraceSpan
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public string? RunId { get; init; }
    public string? ThreadId { get; init; }
    public string? AssistantId { get; init; }
    public string? SessionId { get; init; }

    /// <summary>One of <see cref="ModelCallEntryPoints"/>.</summary>
    public string? EntryPoint { get; init; }

    /// <summary>The project the span belongs to (its <c>project</c> column); not part of the trace's JSON.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Project { get; init; } = Storage.ProjectScope.ForWrite;

    /// <summary>Who pays: a short hash of the API key the run was made with, or <c>none</c>.</summary>
    public string ApiKeyId { get; init; } = "none";

    /// <summary>Unix time in milliseconds.</summary>
    public required long StartedAt { get; init; }
    public long DurationMs { get; init; }
    public long? TimeToFirstUpdateMs { get; init; }

    /// <summary><c>ok</c>, <c>error</c>, <c>cancelled</c> (see <see cref="ModelCallStatuses"/>) or <c>stopped</c> (a budget).</summary>
    public string Status { get; init; } = "ok";
    public string? Error { get; init; }

    public string? Provider { get; init; }

    /// <summary>The model the caller asked for.</summary>
    public string? Model { get; init; }

    /// <summary>The model that answered (differs after a fallback).</summary>
    public string? ResponseModel { get; init; }

    /// <summary>Model call: <c>messages</c> (after truncation), <c>tools</c> offered and the options sent.</summary>
    public JsonElement? Request { get; init; }

    /// <summary>Model call: the raw completion — text, tool calls, finish reason.</summary>
    public JsonElement? Response { get; init; }

    public TraceUsage? Usage { get; init; }
    public TraceCost? Cost { get; init; }

    /// <summary>Retries, fallbacks and request fields that could not be carried to the served model, in order.</summary>
    public IReadOnlyList<TraceEvent> Events { get; init; } = [];

    public string? ToolCallId { get; init; }
    public string? ToolType { get; init; }
    public string? Input { get; init; }
    public string? Output { get; init; }
}

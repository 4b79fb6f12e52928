using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Core.Domain;

/// <summary>One step of a run: the model writing a message, or the model calling tools.</summary>
public sealed record RunStep
{
    public required string Id { get; init; }
    public string Object { get; init; } = "thread.run.step";
    public required long CreatedAt { get; init; }
    public required string RunId { get; init; }
    public required string AssistantId { get; init; }
    public required string ThreadId { get; init; }
    public required string Type { get; init; }
    public string Status { get; init; } = StepStatus.InProgress;
    public long? CancelledAt { get; init; }
    public long? CompletedAt { get; init; }

    /// <summary>The recorded service sends <c>expires_at</c>; the spec names it <c>expired_at</c>. We send both.</summary>
    public long? ExpiresAt { get; init; }

    public long? ExpiredAt { get; init; }
    public long? FailedAt { get; init; }
    public RunError? LastError { get; init; }
    public required StepDetails StepDetails { get; init; }
    public Usage? Usage { get; init; }
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = Empty.Metadata;

    /// <summary>
    /// The model's reasoning in the turn this step records (on the turn's first step), kept for the conversation's
    /// later model calls. Stored with the step; left out of every client view of a step (see <c>FileSearchStepView.ForClient</c>).
    /// </summary>
    [JsonPropertyName("agenthost_reasoning")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StepReasoning? Reasoning { get; init; }
}

public static class StepStatus
{
    public const string InProgress = "in_progress";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
    public const string Completed = "completed";
    public const string Expired = "expired";
}

public static class StepTypes
{
    public const string MessageCreation = "message_creation";
    public const string ToolCalls = "tool_calls";
}

public sealed record StepDetails
{
    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MessageCreation? MessageCreation { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<StepToolCall>? ToolCalls { get; init; }
}

public sealed record MessageCreation(string MessageId);

/// <summary>
/// A tool call in a step. A <c>function</c> call keeps its name, arguments and submitted output; a call of any other
/// type keeps the details its tool source recorded, written under a property named after the type
/// (<c>"code_interpreter": {…}</c>, <c>"file_search": {…}</c>, <c>"mcp": {…}</c>), so each source owns its shape.
/// </summary>
[JsonConverter(typeof(StepToolCallConverter))]
public sealed record StepToolCall
{
    public required string Id { get; init; }
    public required string Type { get; init; }

    public StepFunctionCall? Function { get; init; }

    /// <summary>The source's record of a non-function call, as a JSON object.</summary>
    public JsonElement? Details { get; init; }
}

public sealed record StepFunctionCall(string Name, string Arguments, string? Output);

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

/// <summary>A tool call in a step. Built-in tools keep their details as JSON so each tool owns its shape.</summary>
public sealed record StepToolCall
{
    public required string Id { get; init; }
    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StepFunctionCall? Function { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? CodeInterpreter { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? FileSearch { get; init; }
}

public sealed record StepFunctionCall(string Name, string Arguments, string? Output);

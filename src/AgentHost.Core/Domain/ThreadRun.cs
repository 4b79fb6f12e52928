using System.Text.Json.Serialization;

namespace AgentHost.Core.Domain;

/// <summary>One execution of an assistant on a thread.</summary>
public sealed record ThreadRun
{
    public required string Id { get; init; }
    public string Object { get; init; } = "thread.run";
    public required long CreatedAt { get; init; }
    public required string AssistantId { get; init; }
    public required string ThreadId { get; init; }
    public string Status { get; init; } = RunStatus.Queued;
    public long? StartedAt { get; init; }
    public long? ExpiresAt { get; init; }
    public long? CancelledAt { get; init; }
    public long? FailedAt { get; init; }
    public long? CompletedAt { get; init; }
    public RequiredAction? RequiredAction { get; init; }
    public RunError? LastError { get; init; }
    public required string Model { get; init; }
    public string? Instructions { get; init; }
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];
    public ToolResources ToolResources { get; init; } = new();
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = Empty.Metadata;
    public double? Temperature { get; init; } = 1.0;
    public double? TopP { get; init; } = 1.0;
    public string? ReasoningEffort { get; init; }
    public int? MaxCompletionTokens { get; init; }
    public int? MaxPromptTokens { get; init; }
    public TruncationStrategy TruncationStrategy { get; init; } = TruncationStrategy.Auto;
    public RunIncompleteDetails? IncompleteDetails { get; init; }
    public Usage? Usage { get; init; }
    public ResponseFormat ResponseFormat { get; init; } = ResponseFormat.Auto;
    public ToolChoice ToolChoice { get; init; } = ToolChoice.Auto;
    public bool ParallelToolCalls { get; init; } = true;

    /// <summary>AgentHost extension: what the run has cost (see docs/observability.md); absent when nothing is priced yet.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RunCost? Cost { get; init; }

    /// <summary>How a run of another front door behaves (see <see cref="RunProfile"/>); null for Assistants runs.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RunProfile? Profile { get; init; }
}

public sealed record RunError(string Code, string Message);

public sealed record RunIncompleteDetails(string Reason);

/// <summary>What the caller must do before the run can go on: submit the outputs of these function calls.</summary>
public sealed record RequiredAction
{
    public string Type { get; init; } = "submit_tool_outputs";
    public required SubmitToolOutputsAction SubmitToolOutputs { get; init; }
}

public sealed record SubmitToolOutputsAction(IReadOnlyList<RequiredToolCall> ToolCalls);

public sealed record RequiredToolCall
{
    public required string Id { get; init; }
    public string Type { get; init; } = ToolTypes.Function;
    public required FunctionCall Function { get; init; }
}

public sealed record FunctionCall(string Name, string Arguments);

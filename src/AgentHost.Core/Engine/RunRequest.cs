using AgentHost.Core.Domain;

namespace AgentHost.Core.Engine;

/// <summary>What a caller asks of a new run; anything left null comes from the assistant.</summary>
public sealed record RunRequest
{
    public required string AssistantId { get; init; }
    public string? Model { get; init; }
    public string? Instructions { get; init; }
    public string? AdditionalInstructions { get; init; }
    public IReadOnlyList<NewMessage> AdditionalMessages { get; init; } = [];
    public IReadOnlyList<ToolDefinition>? Tools { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
    public double? Temperature { get; init; }
    public double? TopP { get; init; }
    public string? ReasoningEffort { get; init; }
    public int? MaxPromptTokens { get; init; }
    public int? MaxCompletionTokens { get; init; }
    public TruncationStrategy? TruncationStrategy { get; init; }
    public ToolChoice? ToolChoice { get; init; }
    public bool? ParallelToolCalls { get; init; }
    public ResponseFormat? ResponseFormat { get; init; }

    /// <summary>Tool resources given for this run (create-thread-and-run); the thread's otherwise.</summary>
    public ToolResources? ToolResources { get; init; }
}

/// <summary>A message a caller adds: role, content parts, attachments, metadata.</summary>
public sealed record NewMessage(
    string Role,
    IReadOnlyList<MessageContent> Content,
    IReadOnlyList<MessageAttachment> Attachments,
    IReadOnlyDictionary<string, string>? Metadata);

/// <summary>A new thread: its first messages, tool resources and metadata.</summary>
public sealed record NewThread(IReadOnlyList<NewMessage> Messages, ToolResources? ToolResources, IReadOnlyDictionary<string, string>? Metadata);

/// <summary>The output of one function call, as submitted by the caller.</summary>
public sealed record ToolOutput(string ToolCallId, string Output);

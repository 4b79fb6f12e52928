namespace AgentHost.Core.Domain;

/// <summary>An assistant: a model, instructions and tools that runs use by default.</summary>
public sealed record Assistant
{
    public required string Id { get; init; }
    public string Object { get; init; } = "assistant";
    public required long CreatedAt { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    public required string Model { get; init; }
    public string? Instructions { get; init; }
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];
    public double? TopP { get; init; } = 1.0;
    public double? Temperature { get; init; } = 1.0;
    public string? ReasoningEffort { get; init; }
    public ToolResources ToolResources { get; init; } = new();
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = Empty.Metadata;
    public ResponseFormat ResponseFormat { get; init; } = ResponseFormat.Auto;
}

using System.Text.Json.Serialization;

namespace AgentHost.Core.Domain;

/// <summary>A tool offered to the model: <c>function</c>, <c>code_interpreter</c> or <c>file_search</c>.</summary>
public sealed record ToolDefinition
{
    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FunctionDefinition? Function { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FileSearchSettings? FileSearch { get; init; }

    public static readonly ToolDefinition CodeInterpreter = new() { Type = ToolTypes.CodeInterpreter };
}

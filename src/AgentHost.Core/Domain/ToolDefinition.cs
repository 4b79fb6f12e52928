using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Core.Domain;

/// <summary>
/// A tool offered to the model: <c>function</c>, <c>code_interpreter</c>, <c>file_search</c>, or a type served by a
/// tool source (e.g. <c>mcp</c>). The built-in types keep their original wire fields; any other type carries its
/// settings as the request gave them, flat beside <c>type</c>, and its tool source reads and checks them.
/// </summary>
public sealed record ToolDefinition
{
    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FunctionDefinition? Function { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FileSearchSettings? FileSearch { get; init; }

    /// <summary>The settings of a source-served type, written flat beside <c>type</c>; never mutated once built.</summary>
    /// <remarks>A setter, not <c>init</c>: System.Text.Json's source generator cannot fill init-only extension data.</remarks>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Settings { get; set; }

    public static readonly ToolDefinition CodeInterpreter = new() { Type = ToolTypes.CodeInterpreter };

    /// <summary>The setting <paramref name="name"/>, when given and not null.</summary>
    public JsonElement? Setting(string name) =>
        Settings is not null && Settings.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}

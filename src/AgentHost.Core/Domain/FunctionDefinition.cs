using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Core.Domain;

/// <summary>A function the model may call; the caller runs it and submits the output.</summary>
public sealed record FunctionDefinition
{
    public required string Name { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    /// <summary>JSON Schema of the arguments; the original service stores an empty object schema when none is given.</summary>
    public JsonElement Parameters { get; init; } = EmptyObjectSchema;

    public bool? Strict { get; init; } = false;

    public static readonly JsonElement EmptyObjectSchema =
        JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Core.Domain;

/// <summary><c>"auto"</c>, or <c>{"type": "text" | "json_object" | "json_schema", "json_schema": {...}}</c>.</summary>
[JsonConverter(typeof(ResponseFormatConverter))]
public sealed record ResponseFormat
{
    public required string Type { get; init; }

    /// <summary>The <c>json_schema</c> object (name, description, schema, strict) when Type is json_schema.</summary>
    public JsonElement? JsonSchema { get; init; }

    public static readonly ResponseFormat Auto = new() { Type = "auto" };
}

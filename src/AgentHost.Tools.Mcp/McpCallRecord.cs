using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Tools.Mcp;

/// <summary>
/// One MCP tool call as a step records it (<c>"type": "mcp", "mcp": {…}</c>), shaped like the Responses API's
/// <c>mcp_call</c> item: server, tool, arguments, output or error, plus what the call returned beyond text.
/// </summary>
internal sealed record McpCallRecord
{
    public required string ServerLabel { get; init; }

    /// <summary>The tool's name on the server.</summary>
    public required string Name { get; init; }

    /// <summary>The arguments as JSON text.</summary>
    public required string Arguments { get; init; }

    /// <summary><c>pending</c> while the caller decides, then <c>approved</c> or <c>denied</c>; absent when no approval was needed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Approval { get; init; }

    /// <summary>
    /// The id of the Responses <c>mcp_approval_request</c> item this call answers, when it was approved or denied through
    /// an <c>mcp_approval_response</c> (the Responses API's <c>approval_request_id</c>).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ApprovalRequestId { get; init; }

    /// <summary>What the model reads: the text of the result (errors included when the tool reported one).</summary>
    public string? Output { get; init; }

    /// <summary>Why the call did not produce a result: the server was unreachable, the call failed or timed out, or was denied.</summary>
    public string? Error { get; init; }

    /// <summary>The JSON-RPC error code when the server refused the call with a protocol error.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ErrorCode { get; init; }

    /// <summary>The tool answered with <c>isError</c>: <see cref="Output"/> is its error message.</summary>
    public bool IsError { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<McpContentItem>? Content { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? StructuredContent { get; init; }

    /// <summary>The last progress notification the server sent for the call.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public McpProgress? Progress { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? DurationMs { get; init; }

    public JsonElement ToElement() => JsonSerializer.SerializeToElement(this, McpJsonContext.Default.McpCallRecord);

    public static McpCallRecord? From(JsonElement? details)
    {
        if (details is not { ValueKind: JsonValueKind.Object } json)
        {
            return null;
        }

        try
        {
            return json.Deserialize(McpJsonContext.Default.McpCallRecord);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A non-text part of a result: an image (stored as a file), an embedded resource, or a link to one.</summary>
internal sealed record McpContentItem
{
    /// <summary><c>text</c>, <c>image</c>, <c>audio</c>, <c>resource</c> or <c>resource_link</c>.</summary>
    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Text { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FileId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MimeType { get; init; }

    /// <summary>An image's bytes (base64), kept so every later model call can show it again.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Data { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Uri { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }
}

internal sealed record McpProgress(double Progress, double? Total, string? Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(McpCallRecord))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
internal sealed partial class McpJsonContext : JsonSerializerContext;

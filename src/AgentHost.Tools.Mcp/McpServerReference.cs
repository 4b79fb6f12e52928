namespace AgentHost.Tools.Mcp;

/// <summary>
/// A server a request names: a configured <see cref="Label"/>, or a remote <see cref="Url"/> (which must match
/// <c>AgentHost:Mcp:AllowedUrls</c>) with the <see cref="Headers"/> the request sends it. Check it with
/// <see cref="McpToolbox.Refusal"/> before use.
/// </summary>
public sealed record McpServerReference(string Label, string? Url = null)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Told to the model before each tool's description; the configured server's description when null.</summary>
    public string? Description { get; init; }
}

/// <summary>Why a request may not use a server: which part of the reference is wrong (<c>label</c>, <c>url</c> or <c>headers</c>), and what to do.</summary>
public sealed record McpServerRefusal(string Part, string Message);

/// <summary>A tool of a server, as listed: the server's own name, the name the model is offered, and its description and input schema.</summary>
public sealed record McpToolInfo(string Name, string OfferedName, string? Description, System.Text.Json.JsonElement InputSchema)
{
    /// <summary>The server marks the tool read-only (<c>readOnlyHint</c>).</summary>
    public bool ReadOnly { get; init; }

    /// <summary>The tool's annotations as the server sent them (or null), for front doors that show them (Responses' <c>mcp_list_tools</c>).</summary>
    public System.Text.Json.JsonElement? Annotations { get; init; }
}

/// <summary>
/// What one call returned, for a front door to render: <see cref="Output"/> is what the model reads (the result's text,
/// or <c>Error: …</c>); <see cref="Error"/> is set when the call produced no result (unreachable, failed, timed out);
/// <see cref="IsError"/> when the tool answered with <c>isError</c>.
/// </summary>
public sealed record McpToolCallResult(string Output, string? Error, bool IsError)
{
    public System.Text.Json.JsonElement? StructuredContent { get; init; }

    public long DurationMs { get; init; }

    /// <summary>Images the result carried (stored as files too), for models that can see them.</summary>
    public IReadOnlyList<Microsoft.Extensions.AI.DataContent> Images { get; init; } = [];

    /// <summary>The call as the <c>mcp</c> step detail records it (<c>server_label</c>, <c>name</c>, <c>arguments</c>, <c>output</c>, <c>error</c>, …).</summary>
    public System.Text.Json.JsonElement Record { get; init; }
}

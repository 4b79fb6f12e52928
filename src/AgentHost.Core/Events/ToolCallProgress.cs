namespace AgentHost.Core.Events;

/// <summary>
/// Output a running tool produced before it finished, as output <see cref="OutputIndex"/> of the call:
/// console text (<see cref="Logs"/>), an image saved to the file store (<see cref="ImageFileId"/>), or a source's own <see cref="Detail"/>.
/// </summary>
public sealed record ToolCallProgress : ToolCallEvent
{
    public required int OutputIndex { get; init; }

    public string? Logs { get; init; }

    public string? ImageFileId { get; init; }

    /// <summary>A tool source's own progress detail, rendered under the call's type (MCP: the server and tool, then each progress notification).</summary>
    public System.Text.Json.JsonElement? Detail { get; init; }
}

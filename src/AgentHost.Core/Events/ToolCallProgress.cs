namespace AgentHost.Core.Events;

/// <summary>
/// Output a running tool produced before it finished, as output <see cref="OutputIndex"/> of the call:
/// console text (<see cref="Logs"/>) or an image saved to the file store (<see cref="ImageFileId"/>).
/// </summary>
public sealed record ToolCallProgress : ToolCallEvent
{
    public required int OutputIndex { get; init; }

    public string? Logs { get; init; }

    public string? ImageFileId { get; init; }
}

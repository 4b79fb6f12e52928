namespace AgentHost.Core.Containers;

/// <summary>
/// The <c>container</c> of a <c>code_interpreter</c> tool on a response: an existing container's id, or
/// <c>{"type": "auto", "file_ids": […], "memory_limit": …}</c> for a new one holding those files.
/// </summary>
public sealed record ContainerReference
{
    public string? Id { get; init; }

    public IReadOnlyList<string> FileIds { get; init; } = [];

    public string? MemoryLimit { get; init; }

    public static ContainerReference Existing(string id) => new() { Id = id };

    public static ContainerReference Auto(IReadOnlyList<string>? fileIds = null, string? memoryLimit = null) =>
        new() { FileIds = fileIds ?? [], MemoryLimit = memoryLimit };
}

using System.Text.Json.Serialization;

namespace AgentHost.Core.Containers;

/// <summary>The <c>container.file</c> object: a file under the container's <c>/mnt/data</c>, its bytes kept outside the database.</summary>
public sealed record ContainerFile
{
    public const string FromUser = "user";
    public const string FromAssistant = "assistant";

    public required string Id { get; init; }
    public string Object { get; init; } = "container.file";
    public required long CreatedAt { get; init; }
    public required long Bytes { get; init; }
    public required string ContainerId { get; init; }

    /// <summary>Absolute path in the sandbox, <c>/mnt/data/…</c>.</summary>
    public required string Path { get; init; }

    /// <summary><c>user</c> (uploaded or copied in) or <c>assistant</c> (written by code).</summary>
    public required string Source { get; init; }

    [JsonIgnore]
    public string Project { get; init; } = ContainerProjects.Default;

    /// <summary>The path relative to <c>/mnt/data</c>, as the sandbox session names files.</summary>
    [JsonIgnore]
    public string RelativePath => Path[ContainerPaths.DataRoot.Length..];
}

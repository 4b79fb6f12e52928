using AgentHost.Core.Sandbox;

namespace AgentHost.Core.Containers;

/// <summary>One call of code in a container: its logs and the container files it produced.</summary>
public sealed record ContainerCallResult
{
    /// <summary>stdout/stderr with any reset notice and limit messages, as the model should read them.</summary>
    public required string Logs { get; init; }

    /// <summary>Figures the code showed, each stored as a container file (<c>/mnt/data/cfile_….png</c>).</summary>
    public IReadOnlyList<ContainerFile> Images { get; init; } = [];

    /// <summary>Files under <c>/mnt/data</c> the code created or changed, as container files (source <c>assistant</c>).</summary>
    public IReadOnlyList<ContainerFile> Files { get; init; } = [];

    /// <summary>The limit or failure that stopped the call, if any.</summary>
    public SandboxFailure? Failure { get; init; }
}

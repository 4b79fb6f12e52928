namespace AgentHost.Core.Sandbox;

/// <summary>What one cell produced.</summary>
public sealed record SandboxResult
{
    /// <summary>stdout and stderr interleaved, then a line explaining any limit that stopped the call.</summary>
    public required string Logs { get; init; }

    /// <summary>Matplotlib figures shown or left open by the cell, as PNG.</summary>
    public IReadOnlyList<byte[]> Images { get; init; } = [];

    /// <summary>Files under <c>/mnt/data</c> the cell created or changed.</summary>
    public IReadOnlyList<SandboxFile> Files { get; init; } = [];

    /// <summary>Files under <c>/mnt/data</c> (relative paths) that were there before the cell and are gone after it.</summary>
    public IReadOnlyList<string> RemovedFiles { get; init; } = [];

    /// <summary>The limit or failure that stopped the call, if any.</summary>
    public SandboxFailure? Failure { get; init; }

    /// <summary>True when the process was lost during the call; the next call needs a new session.</summary>
    public bool SessionLost { get; init; }
}

namespace AgentHost.Core.Sandbox;

/// <summary>
/// One long-lived Python process in its own sandbox: variables, imports and files under <c>/mnt/data</c> live as
/// long as it does. Calls are serialized; a limit hit inside a call is reported in its result, not thrown.
/// </summary>
public interface ISandboxSession : IAsyncDisposable
{
    string Id { get; }

    /// <summary>True once the process is gone (crashed, killed after ignoring an interrupt, disposed).</summary>
    bool HasExited { get; }

    /// <summary>
    /// Writes a file to <c>/mnt/data/{path}</c>, creating its folders; <paramref name="path"/> is relative to
    /// <c>/mnt/data</c>, and <c>..</c>, <c>.</c> and empty parts are dropped (<see cref="SandboxPaths.Normalize"/>).
    /// </summary>
    Task PutFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Removes <c>/mnt/data/{path}</c> if it is there (a file or link; never a folder's contents).</summary>
    Task DeleteFileAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a cell. <paramref name="onOutput"/> receives stdout/stderr text as it is produced (up to the output limit).
    /// Cancelling interrupts the code; the session survives unless the code ignores the interrupt.
    /// </summary>
    Task<SandboxResult> ExecuteAsync(string code, Action<string>? onOutput, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a cell with its own wall-time limit instead of <see cref="SandboxOptions.CallTimeout"/> (the agent toolset's
    /// <c>bash</c>, whose commands have a timeout of their own the cell must outlast).
    /// </summary>
    Task<SandboxResult> ExecuteAsync(string code, Action<string>? onOutput, TimeSpan callTimeout, CancellationToken cancellationToken) =>
        ExecuteAsync(code, onOutput, cancellationToken);
}

using AgentHost.Core.Sandbox;

namespace AgentHost.Core.Containers;

/// <summary>
/// Exclusive use of a container for one call (or one file change); disposing it records the container as active and
/// lets the next call in. Get one from <see cref="ContainerService.AcquireAsync"/>.
/// </summary>
public sealed class ContainerLease : IAsyncDisposable
{
    private readonly ContainerSandbox entry;
    private readonly ContainerService service;
    private readonly TimeProvider time;
    private int disposed;

    internal ContainerLease(Container container, ContainerSandbox entry, ContainerService service, TimeProvider time, string? resetNotice)
    {
        Container = container;
        this.entry = entry;
        this.service = service;
        this.time = time;
        ResetNotice = resetNotice;
    }

    public Container Container { get; }

    /// <summary>Set when this process ran the container before and this session is new: the model is told its variables are gone.</summary>
    public string? ResetNotice { get; }

    /// <summary>The container's live session, or null when the lease was taken for a file change and none is running.</summary>
    public ISandboxSession? Session => entry.Session is { HasExited: false } session ? session : null;

    /// <summary>
    /// Runs code in the container's session. Files it writes under <c>/mnt/data</c> become container files (source
    /// <c>assistant</c>), figures become <c>/mnt/data/cfile_….png</c> container files, files it deletes are deleted.
    /// </summary>
    public Task<ContainerCallResult> ExecuteAsync(string code, Action<string>? onOutput, CancellationToken cancellationToken) =>
        service.ExecuteAsync(this, code, onOutput, null, cancellationToken);

    /// <summary>As <see cref="ExecuteAsync(string, Action{string}?, CancellationToken)"/>, with the call's own wall-time limit.</summary>
    public Task<ContainerCallResult> ExecuteAsync(string code, Action<string>? onOutput, TimeSpan callTimeout, CancellationToken cancellationToken) =>
        service.ExecuteAsync(this, code, onOutput, callTimeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        entry.LastUsed = time.GetUtcNow();
        try
        {
            await service.TouchAsync(Container.Id);
        }
        finally
        {
            entry.Gate.Release();
        }
    }
}

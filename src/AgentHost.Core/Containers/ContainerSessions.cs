using System.Collections.Concurrent;
using AgentHost.Core.Sandbox;
using Microsoft.Extensions.Logging;

namespace AgentHost.Core.Containers;

/// <summary>
/// The live sandbox session of each container, kept across calls like a notebook kernel. A container's calls and file
/// changes are serialized on its gate. A session is started on the first call (after a restart too) with the
/// container's stored files written into <c>/mnt/data</c>, and stopped when idle, expired or deleted.
/// </summary>
public sealed partial class ContainerSessions(ICodeSandbox sandbox, IContainerStore store, ContainerOptions options, TimeProvider time,
    ILogger<ContainerSessions> logger) : IAsyncDisposable
{
    internal const string ResetNotice =
        "[AgentHost: this is a new Python session for this container — the previous one stopped (idle, a limit, or a crash), so variables and imports are gone; the container's files were restored to /mnt/data.]\n";

    private readonly ConcurrentDictionary<string, ContainerSandbox> containers = new(StringComparer.Ordinal);

    /// <summary>Containers with a live session right now.</summary>
    public int LiveSessions => containers.Values.Count(c => c.Session is { HasExited: false });

    /// <summary>
    /// Exclusive use of <paramref name="container"/>: with <paramref name="startSession"/>, its live session (started and
    /// restored from the stored files when there is none); without, only the session if one is live.
    /// </summary>
    internal async Task<ContainerLease> AcquireAsync(Container container, bool startSession, ContainerService service, CancellationToken cancellationToken)
    {
        var entry = containers.GetOrAdd(container.Id, _ => new ContainerSandbox());
        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            string? notice = null;
            if (entry.Session is { HasExited: true } dead)
            {
                entry.Session = null;
                await dead.DisposeAsync();
            }

            if (entry.Session is null && startSession)
            {
                notice = entry.HadSession ? ResetNotice : null;
                var session = await sandbox.StartSessionAsync(cancellationToken);
                try
                {
                    await RestoreAsync(container.Id, session, cancellationToken);
                }
                catch
                {
                    await session.DisposeAsync();
                    throw;
                }

                entry.Session = session;
                entry.HadSession = true;
                LogStarted(logger, container.Id, session.Id);
            }

            return new ContainerLease(container, entry, service, time, notice);
        }
        catch
        {
            entry.Gate.Release();
            throw;
        }
    }

    /// <summary>Stops the container's session at once (a call in flight ends as if the session crashed) and forgets it.</summary>
    internal async Task StopAsync(string containerId)
    {
        if (containers.TryRemove(containerId, out var entry) && entry.Session is { } session)
        {
            entry.Session = null;
            await session.DisposeAsync();
            LogStopped(logger, containerId);
        }
    }

    /// <summary>True while a call or file change holds the container.</summary>
    internal bool IsBusy(string containerId) => containers.TryGetValue(containerId, out var entry) && entry.Gate.CurrentCount == 0;

    /// <summary>Stops sessions idle past <see cref="ContainerOptions.SessionIdleTimeout"/>; their containers keep their files.</summary>
    public async Task StopIdleAsync()
    {
        var now = time.GetUtcNow();
        foreach (var (containerId, entry) in containers)
        {
            if (entry.Session is null || now - entry.LastUsed < options.SessionIdleTimeout || !await entry.Gate.WaitAsync(0))
            {
                continue;
            }

            try
            {
                if (entry.Session is { } session && now - entry.LastUsed >= options.SessionIdleTimeout)
                {
                    entry.Session = null;
                    await session.DisposeAsync();
                    LogIdle(logger, containerId);
                }
            }
            finally
            {
                entry.Gate.Release();
            }
        }
    }

    private async Task RestoreAsync(string containerId, ISandboxSession session, CancellationToken cancellationToken)
    {
        foreach (var file in await store.AllFilesAsync(containerId, cancellationToken))
        {
            await using var content = await store.OpenFileAsync(containerId, file.Id, cancellationToken);
            if (content is null)
            {
                continue; // deleted meanwhile
            }

            using var bytes = new MemoryStream((int)Math.Min(file.Bytes, int.MaxValue));
            await content.CopyToAsync(bytes, cancellationToken);
            await session.PutFileAsync(file.RelativePath, bytes.GetBuffer().AsMemory(0, (int)bytes.Length), cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var entry in containers.Values)
        {
            if (entry.Session is { } session)
            {
                await session.DisposeAsync();
            }
        }

        containers.Clear();
    }

    [LoggerMessage(EventId = 4300, Level = LogLevel.Debug, Message = "Sandbox session {SessionId} started for container {ContainerId}")]
    private static partial void LogStarted(ILogger logger, string containerId, string sessionId);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Debug, Message = "Sandbox session of container {ContainerId} stopped after being idle")]
    private static partial void LogIdle(ILogger logger, string containerId);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Debug, Message = "Sandbox session of container {ContainerId} stopped (container deleted or expired)")]
    private static partial void LogStopped(ILogger logger, string containerId);
}

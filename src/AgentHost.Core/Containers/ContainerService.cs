using System.Text;
using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.Files;
using AgentHost.Core.Sandbox;
using AgentHost.Core.Storage;
using Microsoft.Extensions.Logging;

namespace AgentHost.Core.Containers;

/// <summary>
/// Containers: create, find, delete, their files, expiry, and running code in them. The HTTP surface
/// (<c>/v1/containers</c>) and the <c>code_interpreter</c> tool of responses both go through here:
/// <see cref="ResolveAsync"/> turns a tool's <c>container</c> into a container, <see cref="AcquireAsync"/> gives the
/// exclusive use of its live sandbox session, and <see cref="ContainerLease.ExecuteAsync"/> runs code and keeps what
/// it writes as container files.
/// </summary>
public sealed partial class ContainerService(
    IContainerStore store,
    ContainerSessions sessions,
    IFileStore files,
    FileLimits fileLimits,
    SandboxOptions sandboxOptions,
    ContainerOptions options,
    TimeProvider time,
    ILogger<ContainerService> logger)
{
    /// <summary>Name of a container made for <c>{"type": "auto"}</c>.</summary>
    public const string AutoName = "auto";

    private long DataBytes => (long)sandboxOptions.DataSizeMB * 1024 * 1024;

    public async Task<Container> CreateAsync(NewContainer request, CancellationToken cancellationToken)
    {
        var sources = new List<StoredFile>();
        foreach (var fileId in request.FileIds.Distinct(StringComparer.Ordinal))
        {
            sources.Add(await files.GetAsync(fileId, cancellationToken) ?? throw ApiException.NotFound("file", fileId, "file_ids"));
        }

        if (sources.Count > options.MaxFiles)
        {
            throw ApiException.Invalid($"A container holds at most {options.MaxFiles} files (setting AgentHost:Containers:MaxFiles).", "file_ids");
        }

        if (sources.Sum(f => f.Bytes) > DataBytes)
        {
            throw Full();
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var container = new Container
        {
            Id = IdGenerator.Container(),
            Name = request.Name,
            CreatedAt = now,
            LastActiveAt = now,
            ExpiresAfter = new ContainerExpiresAfter(ContainerExpiresAfter.LastActiveAt, request.ExpiryMinutes ?? options.DefaultExpiryMinutes),
            MemoryLimit = request.MemoryLimit,
        };
        await store.CreateAsync(container, cancellationToken);
        try
        {
            foreach (var source in sources)
            {
                await using var content = await files.OpenReadAsync(source.Id, cancellationToken) ?? throw ApiException.NotFound("file", source.Id, "file_ids");
                await StoreUserFileAsync(container, source.Filename, content, cancellationToken);
            }
        }
        catch
        {
            await store.DeleteAsync(container.Id, CancellationToken.None);
            throw;
        }

        LogCreated(logger, container.Id, sources.Count);
        return container;
    }

    /// <summary>The container, or the API's 404.</summary>
    public async Task<Container> GetAsync(string id, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) ?? throw NotFound(id);

    public Task<Page<Container>> ListAsync(string? name, ListQuery query, CancellationToken cancellationToken) =>
        store.ListAsync(name, query, cancellationToken);

    /// <summary>Deletes the container, its files and its session (a call in flight is stopped).</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (!await store.DeleteAsync(id, cancellationToken))
        {
            throw NotFound(id);
        }

        await sessions.StopAsync(id);
    }

    /// <summary>
    /// The container a <c>code_interpreter</c> tool names: an existing one by id (404 when unknown, 400 when expired), or
    /// for <c>auto</c> a new container holding <see cref="ContainerReference.FileIds"/>.
    /// </summary>
    public async Task<Container> ResolveAsync(ContainerReference reference, CancellationToken cancellationToken)
    {
        if (reference.Id is { } id)
        {
            return RequireRunning(await GetAsync(id, cancellationToken));
        }

        var memoryLimit = reference.MemoryLimit ?? ContainerMemoryLimits.Default;
        if (!ContainerMemoryLimits.All.Contains(memoryLimit))
        {
            throw ApiException.Invalid($"Invalid value for 'memory_limit': '{memoryLimit}' is not one of ['1g', '4g', '16g', '64g'].", "memory_limit", "invalid_value");
        }

        return await CreateAsync(new NewContainer { Name = AutoName, FileIds = reference.FileIds, MemoryLimit = memoryLimit }, cancellationToken);
    }

    /// <summary>
    /// Exclusive use of the container's live sandbox session, started (with the container's files restored into
    /// <c>/mnt/data</c>) when there is none. Calls on one container are serialized. Counts as activity for expiry.
    /// </summary>
    public async Task<ContainerLease> AcquireAsync(string containerId, CancellationToken cancellationToken)
    {
        var container = RequireRunning(await GetAsync(containerId, cancellationToken));
        container = await store.TouchAsync(container.Id, time.GetUtcNow().ToUnixTimeSeconds(), cancellationToken) ?? throw NotFound(containerId);
        var lease = await sessions.AcquireAsync(container, startSession: true, this, cancellationToken);
        if (await store.GetAsync(containerId, cancellationToken) is not { Status: Container.Running })
        {
            // Deleted or expired while this call waited for the container.
            await lease.DisposeAsync();
            await sessions.StopAsync(containerId);
            RequireRunning(await GetAsync(containerId, cancellationToken));
        }

        return lease;
    }

    /// <summary>The container file at <paramref name="path"/> (<c>/mnt/data/…</c>), for <c>container_file_citation</c> annotations; null when none.</summary>
    public Task<ContainerFile?> FileAtPathAsync(string containerId, string path, CancellationToken cancellationToken) =>
        store.GetFileByPathAsync(containerId, path, cancellationToken);

    /// <summary>Adds an uploaded file as <c>/mnt/data/{name}</c> (prefixed with the file id when that path is taken).</summary>
    public async Task<ContainerFile> AddFileAsync(string containerId, string filename, Stream content, CancellationToken cancellationToken)
    {
        var container = RequireRunning(await GetAsync(containerId, cancellationToken));
        await using var lease = await sessions.AcquireAsync(container, startSession: false, this, cancellationToken);
        var file = await StoreUserFileAsync(container, filename, content, cancellationToken);
        await CopyIntoSessionAsync(lease, file, cancellationToken);
        return file;
    }

    /// <summary>Copies a file of <c>/v1/files</c> into the container.</summary>
    public async Task<ContainerFile> AddStoredFileAsync(string containerId, string fileId, CancellationToken cancellationToken)
    {
        var container = RequireRunning(await GetAsync(containerId, cancellationToken));
        var source = await files.GetAsync(fileId, cancellationToken) ?? throw ApiException.NotFound("file", fileId, "file_id");
        await using var content = await files.OpenReadAsync(fileId, cancellationToken) ?? throw ApiException.NotFound("file", fileId, "file_id");
        await using var lease = await sessions.AcquireAsync(container, startSession: false, this, cancellationToken);
        var file = await StoreUserFileAsync(container, source.Filename, content, cancellationToken);
        await CopyIntoSessionAsync(lease, file, cancellationToken);
        return file;
    }

    public async Task<ContainerFile> GetFileAsync(string containerId, string fileId, CancellationToken cancellationToken)
    {
        await GetAsync(containerId, cancellationToken);
        return await store.GetFileAsync(containerId, fileId, cancellationToken) ?? throw FileNotFound(fileId);
    }

    public async Task<(ContainerFile File, Stream Content)> OpenFileAsync(string containerId, string fileId, CancellationToken cancellationToken)
    {
        var file = await GetFileAsync(containerId, fileId, cancellationToken);
        return (file, await store.OpenFileAsync(containerId, fileId, cancellationToken) ?? throw FileNotFound(fileId));
    }

    public async Task<Page<ContainerFile>> ListFilesAsync(string containerId, ListQuery query, CancellationToken cancellationToken)
    {
        await GetAsync(containerId, cancellationToken);
        return await store.ListFilesAsync(containerId, query, cancellationToken);
    }

    /// <summary>Deletes the container file, and the file from the live session's <c>/mnt/data</c>.</summary>
    public async Task DeleteFileAsync(string containerId, string fileId, CancellationToken cancellationToken)
    {
        var container = await GetAsync(containerId, cancellationToken);
        await using var lease = await sessions.AcquireAsync(container, startSession: false, this, cancellationToken);
        var file = await store.GetFileAsync(containerId, fileId, cancellationToken) ?? throw FileNotFound(fileId);
        if (!await store.DeleteFileAsync(containerId, fileId, cancellationToken))
        {
            throw FileNotFound(fileId);
        }

        if (lease.Session is { } session)
        {
            await session.DeleteFileAsync(file.RelativePath, cancellationToken);
        }
    }

    /// <summary>Expires running containers past their expiry that no call is using: files discarded, session stopped. Returns how many.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var expired = 0;
        foreach (var id in await store.DueForExpiryAsync(now, 100, cancellationToken))
        {
            if (!sessions.IsBusy(id) && await store.ExpireAsync(id, now, cancellationToken))
            {
                await sessions.StopAsync(id);
                LogExpired(logger, id);
                expired++;
            }
        }

        return expired;
    }

    internal async Task TouchAsync(string containerId) =>
        await store.TouchAsync(containerId, time.GetUtcNow().ToUnixTimeSeconds(), CancellationToken.None);

    internal async Task<ContainerCallResult> ExecuteAsync(ContainerLease lease, string code, Action<string>? onOutput, TimeSpan? callTimeout,
        CancellationToken cancellationToken)
    {
        var session = lease.Session ?? throw new InvalidOperationException("The container's session is not running; acquire the container with AcquireAsync.");
        var container = lease.Container;
        var logs = new StringBuilder(lease.ResetNotice);
        if (lease.ResetNotice is { } notice)
        {
            onOutput?.Invoke(notice);
        }

        var result = callTimeout is { } timeout
            ? await session.ExecuteAsync(code, onOutput, timeout, cancellationToken)
            : await session.ExecuteAsync(code, onOutput, cancellationToken);
        logs.Append(result.Logs);

        foreach (var removed in result.RemovedFiles)
        {
            if (await store.GetFileByPathAsync(container.Id, ContainerPaths.OfRelative(removed), CancellationToken.None) is { } gone)
            {
                await store.DeleteFileAsync(container.Id, gone.Id, CancellationToken.None);
            }
        }

        var written = new List<ContainerFile>();
        var (count, _) = await store.UsageAsync(container.Id, CancellationToken.None);
        var dropped = 0;
        foreach (var file in result.Files)
        {
            var path = ContainerPaths.OfRelative(file.Name);
            var isNew = await store.GetFileByPathAsync(container.Id, path, CancellationToken.None) is null;
            if (isNew && count >= options.MaxFiles)
            {
                dropped++;
                continue;
            }

            if (await KeepAsync(container, path, file.Content) is { } stored)
            {
                written.Add(stored);
                count += isNew ? 1 : 0;
            }
        }

        var images = new List<ContainerFile>();
        foreach (var png in result.Images)
        {
            var id = IdGenerator.ContainerFile();
            if (await KeepAsync(container, ContainerPaths.DataRoot + id + ".png", png, id) is { } image)
            {
                images.Add(image);
                try
                {
                    // The figure is in /mnt/data too, as the container's file list says.
                    await session.PutFileAsync(image.RelativePath, png, CancellationToken.None);
                }
                catch (IOException)
                {
                    // The session is gone or full; the file is kept and restored with the next session.
                }
            }
        }

        if (dropped > 0)
        {
            var note = $"[AgentHost: {dropped} new file(s) in /mnt/data were not kept as container files: a container holds at most {options.MaxFiles} files (AgentHost:Containers:MaxFiles).]\n";
            logs.Append(note);
            onOutput?.Invoke(note);
        }

        return new ContainerCallResult { Logs = logs.ToString(), Images = images, Files = written, Failure = result.Failure };
    }

    private async Task<ContainerFile?> KeepAsync(Container container, string path, byte[] content, string? id = null)
    {
        using var stream = new MemoryStream(content, writable: false);
        var file = new ContainerFile
        {
            Id = id ?? IdGenerator.ContainerFile(),
            CreatedAt = time.GetUtcNow().ToUnixTimeSeconds(),
            Bytes = content.Length,
            ContainerId = container.Id,
            Path = path,
            Source = ContainerFile.FromAssistant,
            Project = container.Project,
        };
        return await store.PutFileAsync(file, stream, fileLimits.MaxFileBytes, CancellationToken.None);
    }

    private async Task<ContainerFile> StoreUserFileAsync(Container container, string filename, Stream content, CancellationToken cancellationToken)
    {
        var (count, bytes) = await store.UsageAsync(container.Id, cancellationToken);
        if (count >= options.MaxFiles)
        {
            throw ApiException.Invalid($"The container already holds {count} files, the most allowed (setting AgentHost:Containers:MaxFiles).", "file");
        }

        var id = IdGenerator.ContainerFile();
        var name = Path.GetFileName(filename.Replace('\\', '/')) is { Length: > 0 } n && n != "." && n != ".." ? n : "file";
        var path = ContainerPaths.DataRoot + name;
        if (await store.GetFileByPathAsync(container.Id, path, cancellationToken) is not null)
        {
            path = ContainerPaths.DataRoot + id["cfile_".Length..] + "-" + name;
        }

        var file = new ContainerFile
        {
            Id = id,
            CreatedAt = time.GetUtcNow().ToUnixTimeSeconds(),
            Bytes = 0,
            ContainerId = container.Id,
            Path = path,
            Source = ContainerFile.FromUser,
            Project = container.Project,
        };
        var stored = await store.PutFileAsync(file, content, Math.Min(fileLimits.MaxFileBytes, DataBytes), cancellationToken)
            ?? throw NotFound(container.Id);
        if (bytes + stored.Bytes > DataBytes)
        {
            await store.DeleteFileAsync(container.Id, stored.Id, CancellationToken.None);
            throw Full();
        }

        return stored;
    }

    /// <summary>Writes a new container file into the live session, if one is running; otherwise the next session restores it.</summary>
    private async Task CopyIntoSessionAsync(ContainerLease lease, ContainerFile file, CancellationToken cancellationToken)
    {
        if (lease.Session is not { } session)
        {
            return;
        }

        await using var content = await store.OpenFileAsync(file.ContainerId, file.Id, cancellationToken);
        if (content is null)
        {
            return;
        }

        using var bytes = new MemoryStream((int)Math.Min(file.Bytes, int.MaxValue));
        await content.CopyToAsync(bytes, cancellationToken);
        await session.PutFileAsync(file.RelativePath, bytes.GetBuffer().AsMemory(0, (int)bytes.Length), cancellationToken);
    }

    private Container RequireRunning(Container container) => container.Status == Container.Running
        ? container
        : throw ApiException.Invalid(
            $"Container '{container.Id}' has expired: it was not used for {container.ExpiresAfter.Minutes} minutes, and its files were discarded. Create a new container.",
            "container_id", "container_expired");

    private static ApiException NotFound(string id) => ApiException.NotFound("container", id, "container_id");

    private static ApiException FileNotFound(string id) => ApiException.NotFound("container file", id, "file_id");

    private ApiException Full() => ApiException.Invalid(
        $"The container's files would exceed its /mnt/data size of {sandboxOptions.DataSizeMB} MB (setting AgentHost:Sandbox:DataSizeMB).", "file", "file_too_large");

    [LoggerMessage(EventId = 4310, Level = LogLevel.Information, Message = "Container {ContainerId} created with {FileCount} files")]
    private static partial void LogCreated(ILogger logger, string containerId, int fileCount);

    [LoggerMessage(EventId = 4311, Level = LogLevel.Information, Message = "Container {ContainerId} expired: its files were discarded and its session stopped")]
    private static partial void LogExpired(ILogger logger, string containerId);
}

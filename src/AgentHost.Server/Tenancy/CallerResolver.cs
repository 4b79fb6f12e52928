using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using AgentHost.Core.Tenancy;
using AgentHost.Server.Hosting;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Tenancy;

/// <summary>
/// Turns the key a request sent into its <see cref="Caller"/>: the admin key, the single configured key (the default
/// project), or — with an admin key configured — a project key, found by its SHA-256 in the store and kept for
/// <see cref="AuthOptions.KeyCacheDuration"/> so a request costs no lookup. Keys are compared in constant time.
/// </summary>
internal sealed partial class CallerResolver(IOptions<AgentHostOptions> options, IProjectStore store, TimeProvider time, ILogger<CallerResolver> logger)
{
    private const int MaxCachedKeys = 10_000;
    private const long UsedWriteInterval = 60;
    private readonly byte[]? adminKey = Bytes(options.Value.Auth.AdminKey);
    private readonly byte[]? serverKey = Bytes(options.Value.ApiKey);
    private readonly ConcurrentDictionary<string, (Caller Caller, DateTimeOffset Until)> known = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> usedWritten = new(StringComparer.Ordinal);

    /// <summary>Whether any key is configured; without one every request is <see cref="Caller.Open"/>.</summary>
    public bool Enabled => adminKey is not null || serverKey is not null;

    public bool ProjectsEnabled => adminKey is not null;

    /// <summary>The caller the key names, or null when it names none (or its project is archived).</summary>
    public async Task<Caller?> ResolveAsync(string key, CancellationToken cancellationToken)
    {
        if (key.Length == 0)
        {
            return null;
        }

        var sent = Encoding.UTF8.GetBytes(key);
        if (adminKey is not null && CryptographicOperations.FixedTimeEquals(sent, adminKey))
        {
            return Caller.Admin;
        }

        if (serverKey is not null && CryptographicOperations.FixedTimeEquals(sent, serverKey))
        {
            return Caller.DefaultProject;
        }

        if (adminKey is null || !key.StartsWith(ProjectKeyValues.Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = ProjectKeyValues.HashOf(key);
        var now = time.GetUtcNow();
        if (known.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Caller;
        }

        var match = await store.FindKeyAsync(hash, cancellationToken);
        if (match is null || match.ProjectArchived
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(match.Key.Hash), Encoding.ASCII.GetBytes(hash)))
        {
            known.TryRemove(hash, out _);
            return null;
        }

        var caller = new Caller(CallerKind.Project, match.Key.Project, match.Key.Id);
        if (known.Count >= MaxCachedKeys)
        {
            known.Clear();
        }

        known[hash] = (caller, now + options.Value.Auth.KeyCacheDuration);
        return caller;
    }

    /// <summary>Forgets cached keys of <paramref name="project"/> (a key deleted or the project archived on this node takes effect at once).</summary>
    public void Forget(string project)
    {
        foreach (var entry in known.Where(e => e.Value.Caller.Project == project))
        {
            known.TryRemove(entry.Key, out _);
        }
    }

    /// <summary>
    /// Records a project key's use as its <c>last_used_at</c>, written at most once a minute per key per node (so the
    /// time is at most a minute old); a failed write is logged, never thrown at the request.
    /// </summary>
    public async ValueTask NoteUsedAsync(Caller caller)
    {
        if (caller.KeyId is not { } keyId)
        {
            return;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var claimed = usedWritten.TryGetValue(keyId, out var written)
            ? now - written >= UsedWriteInterval && usedWritten.TryUpdate(keyId, now, written)
            : usedWritten.TryAdd(keyId, now);
        if (!claimed)
        {
            return;
        }

        if (usedWritten.Count > MaxCachedKeys)
        {
            usedWritten.Clear();
        }

        try
        {
            await store.MarkKeyUsedAsync(keyId, now, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogLastUsedNotWritten(logger, keyId, e);
        }
    }

    private static byte[]? Bytes(string? key) => string.IsNullOrEmpty(key) ? null : Encoding.UTF8.GetBytes(key);

    [LoggerMessage(EventId = 1510, Level = LogLevel.Warning, Message = "The last use of project key {KeyId} could not be written")]
    private static partial void LogLastUsedNotWritten(ILogger logger, string keyId, Exception exception);
}

using System.Collections.Concurrent;
using AgentHost.Core.Sandbox;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Mcp;

/// <summary>
/// The sandbox sessions of <c>/mcp</c>'s <c>code_interpreter</c> tool: one per MCP session, started on its first call,
/// kept across calls like a notebook kernel, and stopped when the MCP session ends or has had no call for
/// <see cref="McpEndpointOptions.SessionIdleTimeout"/>. A request without an MCP session (protocol revisions from
/// 2026-07-28 have none) gets a session for that one call.
/// </summary>
internal sealed partial class McpSandboxSessions : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Entry> sessions = new(StringComparer.Ordinal);
    private readonly ICodeSandbox sandbox;
    private readonly McpEndpointOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<McpSandboxSessions> logger;
    private readonly ITimer sweeper;

    public McpSandboxSessions(ICodeSandbox sandbox, IOptions<McpEndpointOptions> options, TimeProvider time, ILogger<McpSandboxSessions> logger)
    {
        this.sandbox = sandbox;
        this.options = options.Value;
        this.time = time;
        this.logger = logger;
        var period = TimeSpan.FromTicks(Math.Clamp(this.options.SessionIdleTimeout.Ticks / 2, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
        sweeper = time.CreateTimer(_ => _ = SweepAsync(), null, period, period);
    }

    /// <summary>MCP sessions with a live sandbox session right now.</summary>
    public int LiveSessions => sessions.Values.Count(e => e.Session is { HasExited: false });

    /// <summary>
    /// Runs <paramref name="use"/> with the sandbox session of <paramref name="mcpSessionId"/> (one call at a time),
    /// or with a session of its own when there is no MCP session. The notice says when an earlier session was lost.
    /// </summary>
    public async Task<T> UseAsync<T>(string? mcpSessionId, Func<ISandboxSession, string?, Task<T>> use, CancellationToken cancellationToken)
    {
        if (mcpSessionId is null)
        {
            await using var once = await sandbox.StartSessionAsync(cancellationToken);
            return await use(once, null);
        }

        var entry = sessions.GetOrAdd(mcpSessionId, _ => new Entry());
        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(entry.Ended, this);
            string? notice = null;
            if (entry.Session is { HasExited: true } dead)
            {
                await dead.DisposeAsync();
                entry.Session = null;
            }

            if (entry.Session is null)
            {
                notice = entry.HadSession
                    ? "[AgentHost: this is a new Python session — the previous one stopped (idle timeout, a limit, or a crash), so its variables and files are gone.]\n"
                    : null;
                entry.Session = await sandbox.StartSessionAsync(cancellationToken);
                entry.HadSession = true;
                LogStarted(logger, entry.Session.Id, mcpSessionId);
            }

            return await use(entry.Session, notice);
        }
        finally
        {
            entry.LastUsed = time.GetUtcNow();
            entry.Gate.Release();
        }
    }

    /// <summary>Stops the sandbox session of an MCP session that ended.</summary>
    public async Task EndAsync(string mcpSessionId)
    {
        if (!sessions.TryRemove(mcpSessionId, out var entry))
        {
            return;
        }

        await entry.Gate.WaitAsync();
        try
        {
            entry.Ended = true;
            if (entry.Session is { } session)
            {
                entry.Session = null;
                await session.DisposeAsync();
                LogEnded(logger, mcpSessionId);
            }
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Stops sandbox sessions idle past <see cref="McpEndpointOptions.SessionIdleTimeout"/>. Public so tests can sweep on demand.</summary>
    public async Task SweepAsync()
    {
        var now = time.GetUtcNow();
        foreach (var (id, entry) in sessions)
        {
            if (entry.Session is null || now - entry.LastUsed < options.SessionIdleTimeout || !await entry.Gate.WaitAsync(0))
            {
                continue;
            }

            try
            {
                // The MCP session may go on: its next call starts a new sandbox session and is told the old state is gone.
                if (entry.Session is { } session && now - entry.LastUsed >= options.SessionIdleTimeout)
                {
                    entry.Session = null;
                    await session.DisposeAsync();
                    LogIdle(logger, id, options.SessionIdleTimeout);
                }
            }
            finally
            {
                entry.Gate.Release();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await sweeper.DisposeAsync();
        foreach (var id in sessions.Keys)
        {
            await EndAsync(id);
        }
    }

    /// <summary>An MCP session's sandbox session. Guarded by <see cref="Gate"/>.</summary>
    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public ISandboxSession? Session { get; set; }

        public bool HadSession { get; set; }

        public bool Ended { get; set; }

        public DateTimeOffset LastUsed { get; set; }
    }

    [LoggerMessage(EventId = 1250, Level = LogLevel.Debug, Message = "Sandbox session {SandboxId} started for MCP session {McpSessionId}")]
    private static partial void LogStarted(ILogger logger, string sandboxId, string mcpSessionId);

    [LoggerMessage(EventId = 1251, Level = LogLevel.Debug, Message = "Sandbox session of MCP session {McpSessionId} stopped")]
    private static partial void LogEnded(ILogger logger, string mcpSessionId);

    [LoggerMessage(EventId = 1252, Level = LogLevel.Debug, Message = "MCP session {McpSessionId} made no code_interpreter call for {Idle}; its sandbox session is stopped")]
    private static partial void LogIdle(ILogger logger, string mcpSessionId, TimeSpan idle);
}

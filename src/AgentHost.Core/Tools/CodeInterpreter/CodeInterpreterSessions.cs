using System.Collections.Concurrent;
using AgentHost.Core.Sandbox;
using Microsoft.Extensions.Logging;

namespace AgentHost.Core.Tools.CodeInterpreter;

/// <summary>
/// One sandbox session per thread, kept across calls and runs like a notebook kernel; stopped after
/// <see cref="CodeInterpreterOptions.IdleTimeout"/>; started again, with the model told, when it is gone.
/// </summary>
public sealed partial class CodeInterpreterSessions : IAsyncDisposable
{
    internal const string ResetNotice =
        "[AgentHost: this is a new Python session — the previous one stopped (idle timeout, a limit, or a crash), so variables, imports and files it created are gone; input files were copied in again.]\n";

    private readonly ConcurrentDictionary<string, ThreadSandbox> threads = new();
    private readonly ICodeSandbox sandbox;
    private readonly TimeProvider time;
    private readonly CodeInterpreterOptions options;
    private readonly ILogger<CodeInterpreterSessions> logger;
    private readonly ITimer sweeper;
    private readonly SemaphoreSlim sweeping = new(1, 1);

    public CodeInterpreterSessions(ICodeSandbox sandbox, CodeInterpreterOptions options, TimeProvider time, ILogger<CodeInterpreterSessions> logger)
    {
        this.sandbox = sandbox;
        this.time = time;
        this.options = options;
        this.logger = logger;
        var period = options.IdleTimeout < TimeSpan.FromMinutes(2) ? options.IdleTimeout / 2 : TimeSpan.FromMinutes(1);
        sweeper = time.CreateTimer(_ => _ = SweepAsync(), null, period, period);
    }

    /// <summary>Threads with a live session right now.</summary>
    public int LiveSessions => threads.Values.Count(t => t.Session is { HasExited: false });

    /// <summary>
    /// Exclusive use of the thread's live session, started when there is none. A new session gets the reset notice when
    /// the thread had one before: on this node, or, asked through <paramref name="hadSessionBefore"/>, anywhere (another
    /// node, or this process before a restart), since its state is gone either way.
    /// </summary>
    internal async Task<ThreadSandboxLease> AcquireAsync(string threadId, Func<CancellationToken, Task<bool>>? hadSessionBefore, CancellationToken cancellationToken)
    {
        var entry = threads.GetOrAdd(threadId, _ => new ThreadSandbox());
        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            string? notice = null;
            if (entry.Session is { HasExited: true } dead)
            {
                await dead.DisposeAsync();
                entry.Session = null;
            }

            if (entry.Session is null)
            {
                notice = entry.HadSession || (hadSessionBefore is not null && await hadSessionBefore(cancellationToken)) ? ResetNotice : null;
                entry.Inputs.Clear();
                entry.Session = await sandbox.StartSessionAsync(cancellationToken);
                entry.HadSession = true;
                LogStarted(logger, threadId, entry.Session.Id);
            }

            return new ThreadSandboxLease(entry, time, notice);
        }
        catch
        {
            entry.Gate.Release();
            throw;
        }
    }

    /// <summary>The file id of a file the thread's code wrote, by its sandbox path; null when unknown.</summary>
    internal string? OutputFileId(string threadId, string sandboxPath)
    {
        if (!threads.TryGetValue(threadId, out var entry))
        {
            return null;
        }

        lock (entry.Outputs)
        {
            return entry.Outputs.GetValueOrDefault(sandboxPath);
        }
    }

    /// <summary>Stops sessions idle past the timeout. Public so tests and hosts can sweep on demand.</summary>
    public async Task SweepAsync()
    {
        await sweeping.WaitAsync();
        try
        {
            await SweepIdleAsync(time.GetUtcNow());
        }
        finally
        {
            sweeping.Release();
        }
    }

    private async Task SweepIdleAsync(DateTimeOffset now)
    {
        foreach (var (threadId, entry) in threads)
        {
            if (entry.Session is null || now - entry.LastUsed < options.IdleTimeout || !await entry.Gate.WaitAsync(0))
            {
                continue;
            }

            try
            {
                if (entry.Session is { } session && now - entry.LastUsed >= options.IdleTimeout)
                {
                    entry.Session = null;
                    await session.DisposeAsync();
                    LogIdle(logger, threadId);
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
        foreach (var entry in threads.Values)
        {
            if (entry.Session is { } session)
            {
                await session.DisposeAsync();
            }
        }
    }

    [LoggerMessage(EventId = 4200, Level = LogLevel.Debug, Message = "Code interpreter session {SessionId} started for thread {ThreadId}")]
    private static partial void LogStarted(ILogger logger, string threadId, string sessionId);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Debug, Message = "Code interpreter session of thread {ThreadId} stopped after being idle")]
    private static partial void LogIdle(ILogger logger, string threadId);
}

using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentHost.Tools.Mcp;

/// <summary>
/// One MCP server, shared by every run that uses it: started (or connected) on first use, its tool list cached until
/// the server says it changed, restarted with doubling waits when it dies — and, past
/// <see cref="McpOptions.MaxRestarts"/> deaths in <see cref="McpOptions.RestartWindow"/>, reported unavailable — and
/// stopped after <see cref="McpOptions.IdleTimeout"/> without calls.
/// </summary>
internal sealed partial class McpServerConnection : IAsyncDisposable
{
    private readonly Func<IClientTransport> newTransport;
    private readonly Func<McpServerConnection, McpClientOptions> newClientOptions;
    private readonly McpOptions options;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Queue<DateTimeOffset> deaths = new();
    private readonly ITimer idleTimer;
    private McpClient? client;
    private McpClient? stopping;
    private IReadOnlyList<McpClientTool>? tools;
    private IReadOnlyList<McpClientTool>? lastKnownTools;
    private long toolChanges;
    private DateTimeOffset lastUse;
    private int inFlight;
    private bool disposed;

    public McpServerConnection(string label, string? description, Func<IClientTransport> newTransport, Func<McpServerConnection, McpClientOptions> newClientOptions,
        McpOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        Label = label;
        Description = description;
        this.newTransport = newTransport;
        this.newClientOptions = newClientOptions;
        this.options = options;
        this.time = time;
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger<McpServerConnection>();
        var period = TimeSpan.FromTicks(Math.Clamp(options.IdleTimeout.Ticks / 4, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
        idleTimer = time.CreateTimer(_ => _ = StopIfIdleAsync(), null, period, period);
    }

    public string Label { get; }

    public string? Description { get; }

    /// <summary>True while a server process (or HTTP session) is up.</summary>
    public bool IsRunning => client is { Completion.IsCompleted: false };

    /// <summary>The tools of the last successful listing, kept when the server stops or dies; null when it was never listed.</summary>
    public IReadOnlyList<McpClientTool>? LastKnownTools => Volatile.Read(ref lastKnownTools);

    /// <summary>How many times the server has said its tools changed.</summary>
    internal long ToolChanges => Interlocked.Read(ref toolChanges);

    /// <summary>
    /// The server's tools, from the cache unless the server said they changed. A listing during which the server said
    /// so again is returned but not cached: it may predate the change.
    /// </summary>
    public async Task<IReadOnlyList<McpClientTool>> ToolsAsync(CancellationToken cancellationToken)
    {
        var current = await ClientAsync(cancellationToken);
        if (Volatile.Read(ref tools) is { } cached)
        {
            return cached;
        }

        var changes = ToolChanges;
        var listed = await current.ListToolsAsync(cancellationToken: cancellationToken);
        var list = (IReadOnlyList<McpClientTool>)[.. listed];
        Volatile.Write(ref tools, list);
        if (ToolChanges != changes)
        {
            // Said while listing (ToolsChanged counts, then clears): this list may predate it, so it is not kept.
            Interlocked.CompareExchange(ref tools, null, list);
        }

        Volatile.Write(ref lastKnownTools, list);
        return list;
    }

    /// <summary>Calls <paramref name="tool"/>, cancelled after <paramref name="timeout"/> (a <see cref="TimeoutException"/>) or with the run.</summary>
    public async Task<CallToolResult> CallAsync(string tool, IReadOnlyDictionary<string, object?> arguments, IProgress<ProgressNotificationValue> progress,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref inFlight);
        try
        {
            var current = await ClientAsync(cancellationToken);
            using var deadline = new CancellationTokenSource(timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                return await current.CallToolAsync(tool, arguments, progress, cancellationToken: linked.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The call to {Label}/{tool} took longer than {timeout} and was cancelled.");
            }
        }
        finally
        {
            lastUse = time.GetUtcNow();
            Interlocked.Decrement(ref inFlight);
        }
    }

    /// <summary>Forgets the cached tool list (the server sent <c>notifications/tools/list_changed</c>).</summary>
    public void ToolsChanged()
    {
        Interlocked.Increment(ref toolChanges);
        Volatile.Write(ref tools, null);
        LogToolsChanged(logger, Label);
    }

    private async Task<McpClient> ClientAsync(CancellationToken cancellationToken)
    {
        lastUse = time.GetUtcNow();
        if (client is { Completion.IsCompleted: false } running)
        {
            return running;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (client is { Completion.IsCompleted: false } raced)
            {
                return raced;
            }

            if (client is { } dead)
            {
                client = null;
                Volatile.Write(ref tools, null);
                await StopQuietlyAsync(dead);
            }

            await WaitBeforeRestartAsync(cancellationToken);
            using var startLimit = new CancellationTokenSource(options.StartTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, startLimit.Token);
            McpClient started;
            try
            {
                started = await McpClient.CreateAsync(newTransport(), newClientOptions(this), loggerFactory, linked.Token);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                RecordDeath();
                var why = startLimit.IsCancellationRequested ? $"it did not complete the MCP handshake within {options.StartTimeout}" : e.Message;
                LogStartFailed(logger, Label, why, e);
                throw new McpServerUnavailableException($"The MCP server '{Label}' could not be started: {why}", e);
            }

            client = started;
            Volatile.Write(ref tools, null);
            LogStarted(logger, Label);
            _ = started.Completion.ContinueWith(_ => OnClosed(started), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return started;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Refuses a server that died too often lately; otherwise waits the backoff since its last death.</summary>
    private async Task WaitBeforeRestartAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset last;
        int count;
        lock (deaths)
        {
            var now = time.GetUtcNow();
            while (deaths.Count > 0 && now - deaths.Peek() > options.RestartWindow)
            {
                deaths.Dequeue();
            }

            count = deaths.Count;
            if (count > options.MaxRestarts)
            {
                throw new McpServerUnavailableException(
                    $"The MCP server '{Label}' stopped {count} times within {options.RestartWindow} and is not restarted until {deaths.Peek() + options.RestartWindow:u}; its tools are unavailable. Its stderr is in AgentHost's log.");
            }

            last = count == 0 ? default : deaths.Last();
        }

        if (count > 0)
        {
            var backoff = options.RestartBackoff * Math.Pow(2, Math.Min(count - 1, 10));
            var wait = last + backoff - time.GetUtcNow();
            LogRestarting(logger, Label, count, wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }
        }
    }

    private void OnClosed(McpClient closed)
    {
        if (ReferenceEquals(Volatile.Read(ref stopping), closed) || disposed)
        {
            return;
        }

        RecordDeath();
        Volatile.Write(ref tools, null);
        LogDied(logger, Label);
    }

    private void RecordDeath()
    {
        lock (deaths)
        {
            deaths.Enqueue(time.GetUtcNow());
        }
    }

    private async Task StopIfIdleAsync()
    {
        if (client is null || Volatile.Read(ref inFlight) > 0 || time.GetUtcNow() - lastUse < options.IdleTimeout || !await gate.WaitAsync(0))
        {
            return;
        }

        try
        {
            if (client is { } idle && Volatile.Read(ref inFlight) == 0)
            {
                client = null;
                Volatile.Write(ref tools, null);
                LogIdleStop(logger, Label, options.IdleTimeout);
                await StopQuietlyAsync(idle);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task StopQuietlyAsync(McpClient stopped)
    {
        Volatile.Write(ref stopping, stopped);
        try
        {
            await stopped.DisposeAsync();
        }
        catch (Exception e)
        {
            LogStopFailed(logger, Label, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await gate.WaitAsync();
        try
        {
            disposed = true;
            await idleTimer.DisposeAsync();
            if (client is { } last)
            {
                client = null;
                await StopQuietlyAsync(last);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "MCP server '{Label}' started")]
    private static partial void LogStarted(ILogger logger, string label);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "MCP server '{Label}' could not be started: {Why}")]
    private static partial void LogStartFailed(ILogger logger, string label, string why, Exception exception);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "MCP server '{Label}' stopped unexpectedly; it is restarted on its next use")]
    private static partial void LogDied(ILogger logger, string label);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "Restarting MCP server '{Label}' after {Deaths} recent stop(s), in {Wait}")]
    private static partial void LogRestarting(ILogger logger, string label, int deaths, TimeSpan wait);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "MCP server '{Label}' stopped after {Idle} without calls")]
    private static partial void LogIdleStop(ILogger logger, string label, TimeSpan idle);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Debug, Message = "MCP server '{Label}' changed its tool list")]
    private static partial void LogToolsChanged(ILogger logger, string label);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Debug, Message = "Stopping MCP server '{Label}' failed")]
    private static partial void LogStopFailed(ILogger logger, string label, Exception exception);
}

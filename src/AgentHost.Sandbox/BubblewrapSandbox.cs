using AgentHost.Core.Sandbox;
using AgentHost.Sandbox.Resources;
using Microsoft.Extensions.Logging;

namespace AgentHost.Sandbox;

/// <summary>
/// <see cref="ICodeSandbox"/> on Linux with bubblewrap. Refuses to run anything when bubblewrap (or, as root,
/// setpriv) is missing — never falls back to running code unsandboxed. Keeps one session warm in reserve.
/// </summary>
public sealed partial class BubblewrapSandbox : ICodeSandbox, IAsyncDisposable
{
    private readonly SandboxOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<BubblewrapSandbox> logger;
    private readonly string? bubblewrap;
    private readonly string? setpriv;
    private readonly UidPool? uids;
    private readonly Lock spareLock = new();
    private Task<PythonSession>? spare;
    private bool disposed;
    private int live;
    private readonly ResourceControl? resources;
    private readonly string? seccompFile;

    public BubblewrapSandbox(SandboxOptions options, TimeProvider time, ILogger<BubblewrapSandbox> logger)
    {
        this.options = options;
        this.time = time;
        this.logger = logger;
        bubblewrap = ExecutableLookup.Find(options.BubblewrapPath);
        if (Environment.IsPrivilegedProcess)
        {
            // As root, bwrap would hand the code root's file access; each session drops to its own uid first.
            setpriv = ExecutableLookup.Find("setpriv");
            uids = new UidPool(options.UidRangeStart, options.UidRangeCount);
        }

        UnavailableReason = !OperatingSystem.IsLinux() ? "The code sandbox needs Linux (bubblewrap)."
            : bubblewrap is null ? $"bubblewrap ('{options.BubblewrapPath}') is not installed: run `apt-get install bubblewrap` (Debian/Ubuntu) or set AgentHost:Sandbox:BubblewrapPath."
            : Environment.IsPrivilegedProcess && setpriv is null ? "AgentHost runs as root but setpriv (util-linux) is missing, so sandboxed code cannot be moved to an unprivileged uid: install util-linux."
            : !File.Exists(options.PythonPath) ? $"Python ('{options.PythonPath}') is missing: run `apt-get install python3 python3-pandas python3-numpy python3-matplotlib` or set AgentHost:Sandbox:PythonPath."
            : null;
        if (UnavailableReason is { } reason)
        {
            LogUnavailable(logger, reason);
            return;
        }

        resources = ResourceControl.Detect(options);
        LogResources(logger, resources.Describe());
        if (options.Seccomp && SeccompFilter.Build() is { } program)
        {
            // Opened by the session's first process while still root (0600), before it drops to the session's uid.
            seccompFile = Path.Combine(Path.GetTempPath(), $"agenthost-seccomp-{Environment.ProcessId}-{Guid.NewGuid():N}.bpf");
            File.WriteAllBytes(seccompFile, program);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(seccompFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            LogSeccomp(logger, SeccompFilter.Denied.Count);
        }
        else
        {
            LogNoSeccomp(logger, options.Seccomp ? $"the filter is built for x86_64 and aarch64 only, not {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}" : "AgentHost:Sandbox:Seccomp is false");
        }
    }

    /// <summary>How sessions' memory, processes and CPU are limited: <c>cgroup v2</c>, <c>cgroup v1</c> or <c>watchdog</c>.</summary>
    public string ResourceMode => resources?.Mode ?? "none";

    public string? UnavailableReason { get; }

    /// <summary>Sessions alive now (the spare included), at most <see cref="SandboxOptions.MaxSessions"/>.</summary>
    public int LiveSessions => Volatile.Read(ref live);

    public async Task<ISandboxSession> StartSessionAsync(CancellationToken cancellationToken)
    {
        if (UnavailableReason is { } reason)
        {
            throw new SandboxUnavailableException(reason);
        }

        Task<PythonSession>? reserved;
        lock (spareLock)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            reserved = spare;
            spare = options.PrewarmSession ? StartSpareAsync() : null;
        }

        if (reserved is not null)
        {
            try
            {
                var session = await reserved.WaitAsync(cancellationToken);
                if (!session.HasExited)
                {
                    return session;
                }

                await session.DisposeAsync();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A failed spare is no reason to fail this start; try again below and report that error if any.
            }
        }

        try
        {
            return await StartNewAsync(cancellationToken);
        }
        catch (SandboxKilledAtStartException exception)
        {
            // Seen under heavy load with several AgentHost processes starting sessions at once; the cause is not known yet.
            LogKilledAtStart(logger, exception.Message);
            try
            {
                return await StartNewAsync(cancellationToken);
            }
            catch (SandboxKilledAtStartException again)
            {
                throw new SandboxUnavailableException(again.Message);
            }
        }
    }

    private Task<PythonSession> StartNewAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref live) > options.MaxSessions)
        {
            Interlocked.Decrement(ref live);
            LogAtCapacity(logger, options.MaxSessions);
            throw new SandboxUnavailableException(
                $"AgentHost already runs {options.MaxSessions} sandbox sessions, the most allowed (AgentHost:Sandbox:MaxSessions); try again when one has ended.");
        }

        int? uid;
        try
        {
            uid = uids?.Rent();
        }
        catch
        {
            Interlocked.Decrement(ref live);
            throw;
        }

        var id = "sbx_" + Guid.NewGuid().ToString("N")[..16];
        SessionCgroup? cgroup;
        try
        {
            cgroup = resources?.Create(id);
        }
        catch
        {
            if (uid is int rented)
            {
                uids!.Return(rented);
            }

            Interlocked.Decrement(ref live);
            throw;
        }

        var command = BubblewrapCommand.Arguments(options, bubblewrap!, setpriv, uid, cgroup?.ProcsFiles, seccompFile);
        return PythonSession.StartAsync(id, command, options, cgroup, time, logger, () =>
        {
            cgroup?.Dispose();
            if (uid is int rented)
            {
                uids!.Return(rented);
            }

            Interlocked.Decrement(ref live);
        }, cancellationToken);
    }

    /// <summary>The next spare; at the session cap there is none (a start then fails, saying so).</summary>
    private Task<PythonSession>? StartSpareAsync()
    {
        try
        {
            return StartNewAsync(CancellationToken.None);
        }
        catch (SandboxUnavailableException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<PythonSession>? reserved;
        lock (spareLock)
        {
            disposed = true;
            reserved = spare;
            spare = null;
        }

        if (reserved is not null)
        {
            try
            {
                await (await reserved).DisposeAsync();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The spare never started; nothing to stop.
            }
        }

        // Sessions still held by their owners remove their own cgroups when disposed; the parent goes once empty.
        resources?.Cleanup();
        if (seccompFile is not null)
        {
            File.Delete(seccompFile);
        }
    }

    [LoggerMessage(EventId = 4108, Level = LogLevel.Warning, Message = "A new sandbox session was killed before it was ready; starting another: {Reason}")]
    private static partial void LogKilledAtStart(ILogger logger, string reason);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "Sandbox sessions are limited by {Description}")]
    private static partial void LogResources(ILogger logger, string description);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Information, Message = "Sandbox sessions run under a seccomp filter denying {Count} system calls Python never needs")]
    private static partial void LogSeccomp(ILogger logger, int count);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "Sandbox sessions run without a seccomp filter: {Reason}")]
    private static partial void LogNoSeccomp(ILogger logger, string reason);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "A sandbox session was refused: {MaxSessions} sessions are running (AgentHost:Sandbox:MaxSessions)")]
    private static partial void LogAtCapacity(ILogger logger, int maxSessions);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "The code sandbox is unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}

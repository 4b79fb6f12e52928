using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using AgentHost.Core.Sandbox;
using AgentHost.Sandbox.Resources;
using Microsoft.Extensions.Logging;

namespace AgentHost.Sandbox;

/// <summary>
/// One sandboxed Python REPL: the host side of the driver's protocol. The host enforces wall time (interrupt, then
/// kill) and the output cap; the driver reports the rlimits it hit.
/// </summary>
internal sealed partial class PythonSession : ISandboxSession
{
    private readonly Process process;
    private readonly Stream input;
    // Bounded: a driver sending faster than a call consumes waits in its pipe, never in the host's memory.
    private readonly Channel<SandboxFrame> frames = Channel.CreateBounded<SandboxFrame>(new BoundedChannelOptions(16)
    {
        SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly SandboxOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Action released;
    private readonly StringBuilder diagnostics = new();
    private int disposed;

    // 1 while a request (exec, put, remove) awaits its answer; a frame at any other time is the driver speaking out of turn.
    private int pending;
    private string? violation;
    private int ended; // a call saw the session end (its pipe closed) before the process was reaped
    private bool ready;

    private readonly SessionCgroup? cgroup;

    private PythonSession(string id, Process process, SandboxOptions options, SessionCgroup? cgroup, TimeProvider time, ILogger logger, Action released)
    {
        this.process = process;
        this.cgroup = cgroup;
        this.options = options;
        this.time = time;
        this.logger = logger;
        this.released = released;
        input = process.StandardInput.BaseStream;
        Id = id;
    }

    public string Id { get; }

    public bool HasExited => Volatile.Read(ref disposed) != 0 || Volatile.Read(ref ended) != 0 || Volatile.Read(ref violation) is not null || process.HasExited;

    public static async Task<PythonSession> StartAsync(string id, IReadOnlyList<string> command, SandboxOptions options, SessionCgroup? cgroup,
        TimeProvider time, ILogger logger, Action released, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing of AgentHost's environment (API keys) reaches even bwrap; the sandbox gets its own via --setenv.
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";

        var process = new Process { StartInfo = start };
        PythonSession? session = null;
        try
        {
            process.Start();
            session = new PythonSession(id, process, options, cgroup, time, logger, released);
            process.ErrorDataReceived += session.OnDiagnostics;
            process.BeginErrorReadLine();
            _ = session.PumpAsync();

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.StartTimeout);
            var ready = await session.NextFrameAsync(timeout.Token);
            if (ready?.Type != "ready")
            {
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw process.HasExited && process.ExitCode == KilledExitCode && !timeout.IsCancellationRequested
                    ? new SandboxKilledAtStartException("The sandbox did not start: " + session.Diagnostics())
                    : new SandboxUnavailableException("The sandbox did not start: " + session.Diagnostics());
            }

            LogStarted(logger, session.Id, process.Id);
            return session;
        }
        catch
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
            else
            {
                process.Dispose();
                released();
            }

            throw;
        }
    }

    public Task PutFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        FileOperationAsync("put", "put_ok", path, content, "write", cancellationToken);

    public Task DeleteFileAsync(string path, CancellationToken cancellationToken) =>
        FileOperationAsync("remove", "remove_ok", path, ReadOnlyMemory<byte>.Empty, "remove", cancellationToken);

    /// <summary>Sends a file request between calls and waits for its answer; a refusal becomes an <see cref="IOException"/>.</summary>
    private async Task FileOperationAsync(string op, string answer, string path, ReadOnlyMemory<byte> content, string verb, CancellationToken cancellationToken)
    {
        var relative = SandboxPaths.Normalize(path);
        if (relative.Length == 0)
        {
            throw new ArgumentException($"'{path}' names no file under /mnt/data.", nameof(path));
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!BeginRequest())
            {
                throw new IOException($"The sandbox session was stopped: {violation}");
            }

            await FrameProtocol.WriteAsync(input, op, relative, content, cancellationToken);
            while (await NextFrameAsync(cancellationToken) is { } frame)
            {
                if (frame.Type != answer)
                {
                    Violate($"it sent a '{Clip(frame.Type)}' frame during a {op}");
                    break;
                }

                if (frame.Error is not null)
                {
                    throw new IOException($"Could not {verb} /mnt/data/{relative}: {frame.Error}");
                }

                return;
            }

            throw new IOException($"The Python session exited during a {op} of /mnt/data/{relative}" + (violation is null ? "." : $": {violation}"));
        }
        finally
        {
            Volatile.Write(ref pending, 0);
            gate.Release();
        }
    }

    public Task<SandboxResult> ExecuteAsync(string code, Action<string>? onOutput, CancellationToken cancellationToken) =>
        ExecuteAsync(code, onOutput, options.CallTimeout, cancellationToken);

    public async Task<SandboxResult> ExecuteAsync(string code, Action<string>? onOutput, TimeSpan callTimeout, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await RunCellAsync(code, onOutput, callTimeout, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<SandboxResult> RunCellAsync(string code, Action<string>? onOutput, TimeSpan callTimeout, CancellationToken cancellationToken)
    {
        var output = new CellOutput(options.MaxOutputBytes, onOutput);
        var images = new List<byte[]>();
        var files = new List<SandboxFile>();
        long fileBytes = 0;
        var removed = new List<string>();
        SandboxFailure? failure = null;
        var killed = false;
        var lost = false;
        var notes = new StringBuilder();

        if (!BeginRequest())
        {
            return new SandboxResult { Logs = SandboxMessages.Violation(violation!), Failure = SandboxFailure.Violation, SessionLost = true };
        }

        try
        {
            await FrameProtocol.WriteAsync(input, "exec", null, Encoding.UTF8.GetBytes(code), CancellationToken.None);
        }
        catch (IOException)
        {
            Volatile.Write(ref ended, 1);
            return new SandboxResult { Logs = SandboxMessages.Describe(SandboxFailure.Crashed, options, false), Failure = SandboxFailure.Crashed, SessionLost = true };
        }

        using var wall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wall.CancelAfter(callTimeout);
        CancellationTokenSource? grace = null;
        using var guarding = new CancellationTokenSource();
        var guard = GuardMemoryAsync(guarding.Token);
        try
        {
            while (true)
            {
                SandboxFrame? frame;
                try
                {
                    frame = await NextFrameAsync(grace?.Token ?? wall.Token);
                }
                catch (OperationCanceledException) when (grace is null)
                {
                    failure ??= cancellationToken.IsCancellationRequested ? null : SandboxFailure.WallTime;
                    grace = await InterruptAsync();
                    continue;
                }
                catch (OperationCanceledException)
                {
                    LogKilled(logger, Id);
                    Kill();
                    killed = lost = true;
                    break;
                }

                if (frame is null)
                {
                    lost = true;
                    failure = violation is null ? failure ?? SandboxFailure.Crashed : SandboxFailure.Violation;
                    break;
                }

                // The driver keeps to the per-call caps itself; a frame past them means it was subverted.
                var broken = frame.Type switch
                {
                    "out" => null,
                    "image" => images.Count >= options.MaxImagesPerCall || frame.Body.Length > options.MaxImageBytes ? "it sent more or larger images than a call may produce" : null,
                    "file" => frame.Name is null || files.Count >= options.MaxFilesPerCall || fileBytes + frame.Body.Length > options.MaxFileBytesPerCall
                        ? "it sent more files or bytes than a call may collect" : null,
                    "removed" => frame.Name is null ? "a removed file without a name" : null,
                    "done" => null,
                    _ => $"it sent a '{Clip(frame.Type)}' frame during a call",
                };
                if (broken is not null)
                {
                    Violate(broken);
                    continue; // the end of the stream follows
                }

                switch (frame.Type)
                {
                    case "out" when output.Add(frame.Body):
                        failure ??= SandboxFailure.Output;
                        grace ??= await InterruptAsync();
                        break;
                    case "image":
                        images.Add(frame.Body);
                        break;
                    case "file":
                        files.Add(new SandboxFile(frame.Name!, frame.Body));
                        fileBytes += frame.Body.Length;
                        break;
                    case "removed":
                        removed.Add(frame.Name!);
                        break;
                }

                if (frame.Type == "done")
                {
                    failure ??= frame.Error switch
                    {
                        "cpu" => SandboxFailure.CpuTime,
                        "memory" => SandboxFailure.Memory,
                        "processes" => SandboxFailure.Processes,
                        "violation" => SandboxFailure.Violation,
                        _ => null,
                    };
                    if (frame.Error == "violation")
                    {
                        Violate("its code broke the driver's protocol (" + Clip(frame.Detail ?? "unknown") + ")");
                        lost = true;
                    }

                    notes.Append(SandboxMessages.Skipped(frame.SkippedFiles, frame.SkippedImages, options));
                    break;
                }
            }
        }
        finally
        {
            grace?.Dispose();
            await guarding.CancelAsync();
            Volatile.Write(ref pending, 0);
        }

        if (await guard)
        {
            failure = SandboxFailure.Memory;
            killed = lost = true;
        }

        var logs = output.Text();
        if (notes.Length > 0)
        {
            logs = (logs.Length == 0 || logs.EndsWith('\n') ? logs : logs + "\n") + notes;
        }

        if (failure is { } stopped)
        {
            logs = (logs.Length == 0 || logs.EndsWith('\n') ? logs : logs + "\n")
                + (stopped == SandboxFailure.Violation ? SandboxMessages.Violation(violation ?? "it broke the driver's protocol") : SandboxMessages.Describe(stopped, options, killed, callTimeout));
        }

        if (lost)
        {
            // The next call must find the session gone even if the process is not reaped yet, so a new one is started.
            Volatile.Write(ref ended, 1);
        }

        var result = new SandboxResult { Logs = logs, Images = images, Files = files, RemovedFiles = removed, Failure = failure, SessionLost = lost };
        if (cancellationToken.IsCancellationRequested)
        {
            // Still an OperationCanceledException to the caller, carrying the files the interrupted call changed.
            throw new SandboxCallCanceledException(result, cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// During a call, kills the session when its processes together pass the memory limit: the kernel's OOM kill in
    /// the session's cgroup, or, without cgroups, the resident memory of its process tree. True when it did.
    /// </summary>
    private async Task<bool> GuardMemoryAsync(CancellationToken stop)
    {
        var baseline = cgroup?.OomKills() ?? 0;
        var limit = (long)options.SessionMemoryLimitMB * 1024 * 1024;
        try
        {
            while (true)
            {
                await Task.Delay(ResourceControl.WatchdogInterval, time, stop);
                var exceeded = cgroup is not null ? cgroup.OomKills() > baseline : ProcessTreeMemory.ResidentBytes(process.Id) > limit;
                if (exceeded)
                {
                    return KillAndReport();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The call ended first; a kill in its last moments is still seen.
            return cgroup is not null && cgroup.OomKills() > baseline && KillAndReport();
        }
        catch (InvalidOperationException)
        {
            return false; // the process is gone
        }
    }

    private bool KillAndReport()
    {
        LogMemoryKilled(logger, Id, options.SessionMemoryLimitMB);
        cgroup?.KillAll();
        Kill();
        return true;
    }

    private async Task<CancellationTokenSource> InterruptAsync()
    {
        try
        {
            await FrameProtocol.WriteAsync(input, "interrupt", null, ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        }
        catch (IOException)
        {
            // Already gone; the frame loop sees the end of the stream.
        }

        return new CancellationTokenSource(options.InterruptGrace, time);
    }

    private async Task<SandboxFrame?> NextFrameAsync(CancellationToken cancellationToken)
    {
        while (await frames.Reader.WaitToReadAsync(cancellationToken))
        {
            if (frames.Reader.TryRead(out var frame))
            {
                return frame;
            }
        }

        return null;
    }

    /// <summary>
    /// Marks a request as awaiting its answer. False when the session was already stopped for breaking the protocol,
    /// or when a frame is waiting that no request asked for (the driver spoke out of turn): the session is killed.
    /// </summary>
    private bool BeginRequest()
    {
        if (violation is null && frames.Reader.TryRead(out var stale))
        {
            Violate($"it sent a '{Clip(stale.Type)}' frame between calls");
        }

        Volatile.Write(ref pending, 1);
        return violation is null;
    }

    /// <summary>The driver broke the protocol: the session is killed, and the reason kept for the call's logs.</summary>
    private void Violate(string reason)
    {
        if (Interlocked.CompareExchange(ref violation, reason, null) is null)
        {
            LogViolation(logger, Id, reason);
        }

        Kill();
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private async Task PumpAsync()
    {
        // The largest body a frame may carry: a file the code may write, an image, or a chunk of output.
        var maxBody = Math.Max(Math.Max(options.MaxFileSizeMB * 1024 * 1024, options.MaxImageBytes), 1024 * 1024);
        var stream = process.StandardOutput.BaseStream;
        try
        {
            while (await FrameProtocol.ReadAsync(stream, maxBody, CancellationToken.None) is { } frame)
            {
                var greeting = frame.Type == "ready" && !ready;
                ready = true;
                if (Volatile.Read(ref pending) == 0 && !greeting)
                {
                    Violate($"it sent a '{Clip(frame.Type)}' frame between calls");
                    break;
                }

                await frames.Writer.WriteAsync(frame);
            }
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or System.Text.Json.JsonException or ObjectDisposedException
            or KeyNotFoundException or InvalidOperationException)
        {
            // A broken or hostile stream ends the session.
            Violate("its frames were malformed (" + Clip(exception.Message) + ")");
        }
        finally
        {
            frames.Writer.TryComplete();
        }
    }

    private void OnDiagnostics(object sender, DataReceivedEventArgs e)
    {
        lock (diagnostics)
        {
            if (e.Data is { } line && diagnostics.Length < 4096)
            {
                diagnostics.AppendLine(line);
            }
        }
    }

    /// <summary>The exit code of a process ended by SIGKILL (128 + 9).</summary>
    private const int KilledExitCode = 137;

    private string Diagnostics()
    {
        lock (diagnostics)
        {
            return diagnostics.Length == 0 ? $"the process exited with code {(process.HasExited ? process.ExitCode : -1)}." : diagnostics.ToString().Trim();
        }
    }

    private void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already exited.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        Kill();
        await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        process.Dispose();
        released();
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Debug, Message = "Sandbox session {SessionId} started (pid {Pid})")]
    private static partial void LogStarted(ILogger logger, string sessionId, int pid);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Sandbox session {SessionId} ignored an interrupt and was killed")]
    private static partial void LogKilled(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Warning, Message = "Sandbox session {SessionId} was killed: its processes together passed {LimitMB} MB")]
    private static partial void LogMemoryKilled(ILogger logger, string sessionId, int limitMB);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Sandbox session {SessionId} was killed: {Reason}")]
    private static partial void LogViolation(ILogger logger, string sessionId, string reason);
}

using System.Diagnostics;
using AgentHost.Core.Sandbox;
using AgentHost.Testing.Requirements;

namespace AgentHost.Sandbox.Tests;

/// <summary>
/// Attacks from inside a session on the host and on other sessions (issue 15): forged protocol frames, floods
/// between calls, too many files or figures, too many sessions. Each is stopped with a message, and other sessions
/// keep working.
/// </summary>
public sealed class HardeningTests
{
    private const string Forge = """
        import json, os, struct
        def forged(header, body=b""):
            head = json.dumps(header).encode()
            return struct.pack(">I", len(head)) + head + struct.pack(">I", len(body)) + body

        """;

    [RequiresFact("bwrap")]
    public async Task FramesWrittenToStdoutOrAnyOtherFd_AreTextOrNothing_NeverFrames()
    {
        await using var sandbox = TestSandbox.Create();
        await using var session = await sandbox.StartSessionAsync(CancellationToken.None);

        var result = await session.RunAsync(Forge + """
            kept = 1
            os.write(1, forged({"type": "file", "name": "evil.txt"}, b"x") + forged({"type": "done"}))
            reached = []
            for fd in list(range(5, 1024)):
                try:
                    os.write(fd, forged({"type": "file", "name": "evil.txt"}, b"x"))
                    reached.append(fd)
                except OSError:
                    pass
            print("\nother fds written:", reached)
            """);
        var next = await session.RunAsync("print(kept)");

        Assert.Null(result.Failure);
        Assert.Empty(result.Files);
        Assert.Contains("evil.txt", result.Logs, StringComparison.Ordinal); // the forged bytes arrived as text
        Assert.EndsWith("other fds written: []\n", result.Logs, StringComparison.Ordinal);
        Assert.Equal("1\n", next.Logs);
    }

    [RequiresFact("bwrap")]
    public async Task AForgedFrameThroughTheDriversOwnSend_KillsTheSessionWithAMessage_WhileAnotherSessionWorks()
    {
        await using var sandbox = TestSandbox.Create();
        await using var attacker = await sandbox.StartSessionAsync(CancellationToken.None);
        await using var bystander = await sandbox.StartSessionAsync(CancellationToken.None);
        await bystander.RunAsync("state = 'intact'");

        var result = await attacker.RunAsync("""
            import __main__
            __main__.send({"type": "file", "name": "../../etc/evil"}, b"owned")
            print("sent")
            """);

        Assert.Equal(SandboxFailure.Violation, result.Failure);
        Assert.True(result.SessionLost);
        Assert.Empty(result.Files);
        Assert.Contains("the session was killed because its code broke the driver's protocol (unexpected result 'file')", result.Logs, StringComparison.Ordinal);
        Assert.True(attacker.HasExited);
        Assert.Equal("intact\n", (await bystander.RunAsync("print(state)")).Logs);
    }

    [RequiresFact("bwrap")]
    public async Task AnOversizedForgedResult_KillsTheSession_BeforeTheHostReadsIt()
    {
        await using var sandbox = TestSandbox.Create();
        await using var session = await sandbox.StartSessionAsync(CancellationToken.None);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        // A frame claiming 400 MB on the REPL's result pipe: the supervisor refuses it from the length alone.
        var result = await session.RunAsync(Forge + """
            os.write(4, struct.pack(">I", 17) + b'{"type": "image"}' + struct.pack(">I", 400 << 20))
            import time; time.sleep(5)
            """);

        Assert.Equal(SandboxFailure.Violation, result.Failure);
        Assert.Contains("frame body of 419430400 bytes", result.Logs, StringComparison.Ordinal);
        Assert.InRange(GC.GetTotalMemory(forceFullCollection: true) - before, long.MinValue, 50L << 20);
    }

    [RequiresFact("bwrap")]
    public async Task OutputFloodBetweenCalls_IsDropped_AndHostMemoryStaysBounded()
    {
        await using var sandbox = TestSandbox.Create(o => { o.MaxOutputBytes = 8 << 20; o.CpuSecondsPerCall = 30; });
        await using var session = await sandbox.StartSessionAsync(CancellationToken.None);
        var before = Process.GetCurrentProcess().WorkingSet64;

        // A thread that prints 400 MB once the call that started it has returned.
        await session.RunAsync("""
            import os, threading, time
            done = threading.Event()
            def flood():
                time.sleep(0.2)
                chunk = b"x" * 65536
                for _ in range(6400):
                    os.write(1, chunk)
                done.set()
            threading.Thread(target=flood, daemon=True).start()
            """);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var finished = false;
        while (!finished && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250); // the flood runs between calls: leave the session idle, then look
            var probe = await session.RunAsync("print('\\n@@', done.is_set())");
            finished = probe.Logs.EndsWith("@@ True\n", StringComparison.Ordinal);
        }

        var growth = Process.GetCurrentProcess().WorkingSet64 - before;
        var next = await session.RunAsync("print('still here')");

        Assert.True(finished, "the flood did not finish");
        Assert.InRange(growth, long.MinValue, 200L << 20);
        Assert.False(session.HasExited);
        Assert.Equal("still here\n", next.Logs);
    }

    [RequiresFact("bwrap")]
    public async Task AHundredThousandFiles_AreNotAllCollected_AndTheCallSaysSo()
    {
        await using var sandbox = TestSandbox.Create(o => { o.MaxFilesPerCall = 50; o.CpuSecondsPerCall = 30; });
        await using var session = await sandbox.StartSessionAsync(CancellationToken.None);

        var result = await session.RunAsync("""
            import os
            os.makedirs('/mnt/data/many', exist_ok=True)
            for i in range(100_000):
                open(f'/mnt/data/many/{i}.txt', 'w').close()
            print('written')
            """);
        var next = await session.RunAsync("print(len(os.listdir('/mnt/data/many')))");

        Assert.Null(result.Failure);
        Assert.Equal(50, result.Files.Count);
        Assert.Contains("more file(s) changed in /mnt/data were not collected: a call collects at most 50 files", result.Logs, StringComparison.Ordinal);
        Assert.Equal("100000\n", next.Logs);
    }

    [RequiresFact("bwrap")]
    public async Task TooManyFigures_AreCappedWithANote()
    {
        await using var sandbox = TestSandbox.Create(o => { o.MaxImagesPerCall = 3; o.Preload = "matplotlib.pyplot"; });
        await using var session = await sandbox.StartSessionAsync(CancellationToken.None);

        var result = await session.RunAsync("import matplotlib.pyplot as plt\nfor i in range(8):\n    plt.figure(); plt.plot([i])\nplt.show()");

        Assert.Equal(3, result.Images.Count);
        Assert.Contains("[AgentHost: 5 more figure(s) were not shown: a call shows at most 3", result.Logs, StringComparison.Ordinal);
    }

    [RequiresFact("bwrap")]
    public async Task SessionsPastTheCap_AreRefusedSayingSo_UntilOneEnds()
    {
        await using var sandbox = TestSandbox.Create(o => o.MaxSessions = 2);
        var first = await sandbox.StartSessionAsync(CancellationToken.None);
        await using var second = await sandbox.StartSessionAsync(CancellationToken.None);

        var refused = await Assert.ThrowsAsync<SandboxUnavailableException>(() => sandbox.StartSessionAsync(CancellationToken.None));
        await first.DisposeAsync();
        await using var third = await sandbox.StartSessionAsync(CancellationToken.None);

        Assert.Contains("AgentHost:Sandbox:MaxSessions", refused.Message, StringComparison.Ordinal);
        Assert.Equal("2\n", (await third.RunAsync("1 + 1")).Logs);
        Assert.Equal(2, sandbox.LiveSessions);
    }
}

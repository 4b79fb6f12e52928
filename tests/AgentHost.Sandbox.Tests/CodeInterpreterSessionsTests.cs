using AgentHost.Core.Tools.CodeInterpreter;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Sandbox.Tests;

/// <summary>A thread's session lives across calls, idles out, and comes back fresh with the model told so.</summary>
public sealed class CodeInterpreterSessionsTests
{
    [Fact]
    public async Task ThreadSession_KeepsStateUntilIdleTimeout_ThenRestartsWithAResetNotice()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sandbox = TestSandbox.Create();
        await using var sessions = new CodeInterpreterSessions(sandbox, new CodeInterpreterOptions { IdleTimeout = TimeSpan.FromMinutes(10) }, time,
            NullLogger<CodeInterpreterSessions>.Instance);

        using (var lease = await sessions.AcquireAsync("thread_a", null, CancellationToken.None))
        {
            Assert.Null(lease.ResetNotice);
            await lease.Session.RunAsync("v = 7");
        }

        time.Advance(TimeSpan.FromMinutes(9));
        await sessions.SweepAsync();
        using (var lease = await sessions.AcquireAsync("thread_a", null, CancellationToken.None))
        {
            Assert.Null(lease.ResetNotice);
            Assert.Equal("7\n", (await lease.Session.RunAsync("v")).Logs);
        }

        time.Advance(TimeSpan.FromMinutes(11));
        await sessions.SweepAsync();
        Assert.Equal(0, sessions.LiveSessions);

        using (var lease = await sessions.AcquireAsync("thread_a", null, CancellationToken.None))
        {
            Assert.Equal(CodeInterpreterSessions.ResetNotice, lease.ResetNotice);
            Assert.Contains("NameError: name 'v' is not defined", (await lease.Session.RunAsync("v")).Logs);
        }
    }

    [Fact]
    public async Task Threads_GetSeparateSessions()
    {
        await using var sandbox = TestSandbox.Create();
        await using var sessions = new CodeInterpreterSessions(sandbox, new CodeInterpreterOptions(), TimeProvider.System, NullLogger<CodeInterpreterSessions>.Instance);

        using (var a = await sessions.AcquireAsync("thread_a", null, CancellationToken.None))
        {
            await a.Session.RunAsync("owner = 'a'");
        }

        using var b = await sessions.AcquireAsync("thread_b", null, CancellationToken.None);
        Assert.Contains("NameError", (await b.Session.RunAsync("owner")).Logs);
        Assert.Equal(2, sessions.LiveSessions);
    }
}

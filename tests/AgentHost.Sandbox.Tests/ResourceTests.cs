using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using AgentHost.Core.Sandbox;
using AgentHost.Sandbox.Resources;
using AgentHost.Testing.Requirements;

namespace AgentHost.Sandbox.Tests;

/// <summary>Limits that hold for a whole session (cgroup, or the /proc watchdog without one) and the seccomp filter.</summary>
public sealed class ResourceTests
{
    private const int UidStart = 62500;
    private const int LimitMB = 256;

    // 64 processes each writing 60 MB: 3.8 GB against a 256 MB session.
    private const string MemoryBomb = """
        import os, time
        children = []
        for i in range(64):
            pid = os.fork()
            if pid == 0:
                hog = b"x" * (60 << 20)
                time.sleep(60)
                os._exit(0)
            children.append(pid)
        for pid in children:
            os.waitpid(pid, 0)
        print("survived")
        """;

    [RequiresTheory("bwrap")]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A64ProcessMemoryBomb_KillsTheSessionWithin10Seconds_WhileAnotherSessionWorks(bool cgroups)
    {
        await using var sandbox = TestSandbox.Create(o =>
        {
            o.UseCgroups = cgroups;
            o.SessionMemoryLimitMB = LimitMB;
            o.MaxProcesses = 80;
            o.UidRangeStart = UidStart;
            o.UidRangeCount = 4;
        });
        await using var bystander = await sandbox.StartSessionAsync(CancellationToken.None);
        await using var session = await sandbox.StartSessionAsync(CancellationToken.None);
        using var sampling = new CancellationTokenSource();
        var peak = SamplePeakAsync(sampling.Token);

        var watch = Stopwatch.StartNew();
        var result = await session.RunAsync(MemoryBomb);
        watch.Stop();
        await sampling.CancelAsync();
        var peakBytes = await peak;

        Assert.Equal(SandboxFailure.Memory, result.Failure);
        Assert.True(result.SessionLost);
        Assert.Contains($"the session's processes together used more than {LimitMB} MB (AgentHost:Sandbox:SessionMemoryLimitMB", result.Logs, StringComparison.Ordinal);
        // 10 s with a cgroup (the kernel stops the allocations); the watchdog samples, so it gets more room on a loaded machine.
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(cgroups ? 10 : 20));
        Assert.Equal("2\n", (await bystander.RunAsync("1 + 1")).Logs);
        if (cgroups && Environment.IsPrivilegedProcess && sandbox.ResourceMode.StartsWith("cgroup", StringComparison.Ordinal))
        {
            // The sessions' uids (the bystander's ~30 MB included) stayed under the limit + 64 MB throughout.
            Assert.InRange(peakBytes, 0, (LimitMB + 64L) << 20);
        }
    }

    [RequiresFact("bwrap")]
    public async Task ProcessesOfOneSession_ShareTheSessionsCpuQuota()
    {
        await using var sandbox = TestSandbox.Create(o => { o.CpuCores = 0.5; o.MaxProcesses = 40; });
        if (!sandbox.ResourceMode.StartsWith("cgroup", StringComparison.Ordinal))
        {
            return; // no CPU quota without cgroups; RLIMIT_CPU per process and the wall-time limit still apply
        }

        await using var session = await sandbox.StartSessionAsync(CancellationToken.None);

        var result = await session.RunAsync("""
            import os, time
            end = time.time() + 3
            children = []
            for i in range(8):
                pid = os.fork()
                if pid == 0:
                    while time.time() < end:
                        pass
                    os._exit(0)
                children.append(pid)
            for pid in children:
                os.waitpid(pid, 0)
            t = os.times()
            print(round(t.children_user + t.children_system, 2))
            """);

        // Eight busy processes for 3 s of wall time get at most half a CPU between them: about 1.5 s, not 8 × 3.
        var used = double.Parse(result.Logs.Trim(), CultureInfo.InvariantCulture);
        Assert.InRange(used, 0, 2.2);
    }

    [RequiresFact("bwrap")]
    public async Task SystemCallsPythonNeverNeeds_FailWithEperm()
    {
        await using var sandbox = TestSandbox.Create();
        var x64 = RuntimeInformation.ProcessArchitecture == Architecture.X64;
        Assert.True(x64 || RuntimeInformation.ProcessArchitecture == Architecture.Arm64, "The filter is built for x86_64 and aarch64.");
        await using var session = await sandbox.StartSessionAsync(CancellationToken.None);
        string[] probed = ["io_uring_setup", "userfaultfd", "keyctl", "bpf", "perf_event_open", "ptrace", "mount", "unshare"];
        var calls = string.Join(", ", probed.Select(name => SeccompFilter.Denied.Single(d => d.Name == name))
            .Select(d => $"(\"{d.Name}\", {(x64 ? d.X8664 : d.Aarch64)})"));

        var result = await session.RunAsync($$"""
            import ctypes, errno, os
            libc = ctypes.CDLL(None, use_errno=True)
            for name, number in [{{calls}}]:
                ctypes.set_errno(0)
                rc = libc.syscall(number, 0, 0, 0, 0, 0)
                print(name, rc, errno.errorcode.get(ctypes.get_errno()))
            print("getpid", libc.syscall({{(x64 ? 39 : 172)}}) == os.getpid())
            """);

        Assert.Equal("""
            io_uring_setup -1 EPERM
            userfaultfd -1 EPERM
            keyctl -1 EPERM
            bpf -1 EPERM
            perf_event_open -1 EPERM
            ptrace -1 EPERM
            mount -1 EPERM
            unshare -1 EPERM
            getpid True

            """.ReplaceLineEndings("\n"), result.Logs);
    }

    [Theory]
    [InlineData(Architecture.X64, 0xC000003Eu, 5)]
    [InlineData(Architecture.Arm64, 0xC00000B7u, 4)]
    public void TheSeccompProgram_ChecksItsArchitecture_AndJumpsToTheDenyReturn_ForEveryDeniedCall(Architecture architecture, uint auditArch, int firstComparison)
    {
        var program = SeccompFilter.Build(architecture)!;

        var count = program.Length / 8;
        Assert.Equal(auditArch, BitConverter.ToUInt32(program, 1 * 8 + 4)); // the architecture compared with seccomp_data.arch
        Assert.Equal(0x80000000u, BitConverter.ToUInt32(program, 2 * 8 + 4)); // any other: KILL_PROCESS
        Assert.Equal(0x00050001u, BitConverter.ToUInt32(program, (count - 1) * 8 + 4)); // last: ERRNO(EPERM)
        Assert.Equal(0x7FFF0000u, BitConverter.ToUInt32(program, (count - 2) * 8 + 4)); // before it: ALLOW
        Assert.Equal(firstComparison + SeccompFilter.Denied.Count + 2, count);
        for (var i = firstComparison - (architecture == Architecture.X64 ? 1 : 0); i < count - 2; i++)
        {
            Assert.Equal(count - 1, i + 1 + program[i * 8 + 2]); // each test's true branch lands on the deny (x86_64's x32 test too)
        }

        var numbers = SeccompFilter.Denied.Select(d => architecture == Architecture.X64 ? d.X8664 : d.Aarch64).ToList();
        Assert.Equal(numbers, Enumerable.Range(firstComparison, numbers.Count).Select(i => BitConverter.ToUInt32(program, i * 8 + 4)));
    }

    [Fact]
    public void TheSeccompProgram_IsNotBuiltForOtherArchitectures() =>
        Assert.Equal((byte[]?)null, SeccompFilter.Build(Architecture.Arm));

    /// <summary>The numbers of every denied call on x86_64 and on aarch64 are libseccomp's for that architecture.</summary>
    [RequiresFact("seccomp")]
    public async Task TheDeniedCallsNumbers_AreLibseccompsForEachArchitecture()
    {
        foreach (var (arch, numberOf) in new (string, Func<(string Name, uint X8664, uint Aarch64), uint>)[] { ("x86_64", d => d.X8664), ("aarch64", d => d.Aarch64) })
        {
            foreach (var denied in SeccompFilter.Denied)
            {
                var resolver = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("scmp_sys_resolver", ["-a", arch, denied.Name]) { RedirectStandardOutput = true })!;
                var output = (await resolver.StandardOutput.ReadToEndAsync()).Trim();
                await resolver.WaitForExitAsync();
                Assert.True(numberOf(denied).ToString(CultureInfo.InvariantCulture) == output, $"{denied.Name} on {arch}: {numberOf(denied)} here, {output} in libseccomp");
            }
        }
    }

    /// <summary>
    /// The most memory the sessions' uids held at once, sampled from /proc until cancelled: each process's proportional
    /// set size, so pages forked children share with their parent count once (summed RSS would count them 64 times).
    /// </summary>
    private static async Task<long> SamplePeakAsync(CancellationToken stop)
    {
        long peak = 0;
        while (!stop.IsCancellationRequested)
        {
            long total = 0;
            foreach (var entry in Directory.EnumerateDirectories("/proc"))
            {
                try
                {
                    var status = File.ReadAllLines(Path.Combine(entry, "status"));
                    var uid = int.Parse(status.First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                    if (uid is >= UidStart and < UidStart + 4
                        && File.ReadLines(Path.Combine(entry, "smaps_rollup")).FirstOrDefault(l => l.StartsWith("Pss:", StringComparison.Ordinal)) is { } pss)
                    {
                        total += long.Parse(pss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                    }
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
                {
                    // Not a process, or it exited while read.
                }
            }

            peak = Math.Max(peak, total);
            try
            {
                await Task.Delay(20, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return peak;
    }
}

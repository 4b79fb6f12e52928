using System.Diagnostics;
using System.Runtime;

namespace AgentHost.Bench;

/// <summary>
/// Tells when tiered compilation has settled. Under load the JIT recompiles hot methods (tier 0, instrumented, tier 1)
/// for the first 10–15 s, at up to a core's worth of CPU on 2 cores (measured 2026-12-01); a window measured before
/// that counts start-up JIT, not what a long-running server costs per run. Settled = fewer than
/// <see cref="QuietMethodsPerSecond"/> methods compiled in the last second, or <see cref="MaxWait"/> after the first check.
/// </summary>
internal sealed class JitSettling
{
    public const int QuietMethodsPerSecond = 50;

    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    private readonly long started = Stopwatch.GetTimestamp();
    private long checkedAt = Stopwatch.GetTimestamp();
    private long compiledAtCheck = JitInfo.GetCompiledMethodCount();

    /// <summary>Call as often as convenient while the load runs; true once the JIT has been quiet for a second.</summary>
    public bool Settled()
    {
        if (Stopwatch.GetElapsedTime(checkedAt) < TimeSpan.FromSeconds(1))
        {
            return false;
        }

        var compiled = JitInfo.GetCompiledMethodCount();
        var rate = (compiled - compiledAtCheck) / Stopwatch.GetElapsedTime(checkedAt).TotalSeconds;
        (checkedAt, compiledAtCheck) = (Stopwatch.GetTimestamp(), compiled);
        return rate < QuietMethodsPerSecond || Stopwatch.GetElapsedTime(started) > MaxWait;
    }

    /// <summary>Waits (while something else keeps the load on) until the JIT has settled.</summary>
    public static async Task WaitAsync()
    {
        var settling = new JitSettling();
        while (!settling.Settled())
        {
            await Task.Delay(200);
        }
    }
}

using System.Diagnostics;

namespace AgentHost.Bench;

/// <summary>
/// Runs one operation from N concurrent clients for a warm-up then a measured window; counts operations that
/// finish inside the window and the process CPU time spent in it (client, AgentHost and upstream together). The warm-up
/// lasts <c>--warmup</c> and then until the JIT has settled (<see cref="JitSettling"/>).
/// </summary>
internal static class LoadRunner
{
    /// <param name="MeasureFrom">Start of the measured window (<see cref="Stopwatch.GetTimestamp"/>).</param>
    /// <param name="MeasureTo">End of the measured window.</param>
    /// <param name="WarmupSeconds">How long the warm-up lasted, JIT settling included.</param>
    public sealed record Result(string Name, int Completed, int Failed, double Seconds, double CpuSeconds, long AllocatedBytes, long MeasureFrom = 0, long MeasureTo = 0, double WarmupSeconds = 0)
    {
        /// <summary>Whether a moment (<see cref="Stopwatch.GetTimestamp"/>) falls in the measured window.</summary>
        public bool InWindow(long timestamp) => timestamp >= MeasureFrom && timestamp < MeasureTo;

        public double PerSecond => Completed / Seconds;

        public double CpuMillisecondsPerOperation => Completed == 0 ? double.NaN : CpuSeconds * 1000 / Completed;

        /// <summary>Managed bytes allocated on every thread (client, AgentHost and upstream) per operation, in KB.</summary>
        public double AllocatedKilobytesPerOperation => Completed == 0 ? double.NaN : AllocatedBytes / 1024.0 / Completed;
    }

    public static async Task<Result> RunAsync(string name, BenchOptions options, Func<CancellationToken, Task<bool>> operation)
    {
        var completed = 0;
        var failed = 0;
        var started = Stopwatch.GetTimestamp();
        long measureFrom = long.MaxValue, measureTo = long.MaxValue;

        async Task ClientAsync()
        {
            while (Stopwatch.GetTimestamp() < Volatile.Read(ref measureTo))
            {
                var ok = await operation(CancellationToken.None);
                var now = Stopwatch.GetTimestamp();
                if (now >= Volatile.Read(ref measureFrom) && now < Volatile.Read(ref measureTo))
                {
                    Interlocked.Increment(ref ok ? ref completed : ref failed);
                }
            }
        }

        async Task<(double Cpu, long Allocated)> CostInWindowAsync()
        {
            await Task.Delay(options.Warmup);
            await JitSettling.WaitAsync();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes();
            var from = Stopwatch.GetTimestamp();
            Volatile.Write(ref measureTo, from + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency));
            Volatile.Write(ref measureFrom, from);
            await Task.Delay(options.Duration);
            return ((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds, GC.GetTotalAllocatedBytes() - allocatedBefore);
        }

        var cost = CostInWindowAsync();
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(ClientAsync)));
        var (cpu, allocated) = await cost;
        return new Result(name, completed, failed, options.Duration.TotalSeconds, cpu, allocated, measureFrom, measureTo, Stopwatch.GetElapsedTime(started, measureFrom).TotalSeconds);
    }
}

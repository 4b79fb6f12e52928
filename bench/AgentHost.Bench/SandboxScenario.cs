using System.Diagnostics;
using AgentHost.Core.Sandbox;
using AgentHost.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentHost.Bench;

/// <summary>
/// The code sandbox on its own: how long a session takes to start (cold, with the default preloads, and handed
/// over from the pre-warmed spare) and how long a trivial call takes on a warm session.
/// </summary>
internal sealed class SandboxScenario(BenchOptions options)
{
    public sealed record Result(string Name, Distribution Milliseconds);

    public async Task<IReadOnlyList<Result>> RunAsync()
    {
        var results = new List<Result>
        {
            await ColdAsync("cold start, no preload: start → first result of `1 + 1`", new SandboxOptions { Preload = "", PrewarmSession = false }, 30),
            await ColdAsync("cold start, preload pandas + matplotlib.pyplot", new SandboxOptions { PrewarmSession = false }, 5),
            await SpareAsync(),
        };
        results.AddRange(await WarmAsync());
        return results;
    }

    private static async Task<Result> ColdAsync(string name, SandboxOptions sandboxOptions, int count)
    {
        await using var sandbox = Create(sandboxOptions);
        var samples = new List<double>();
        for (var i = 0; i < count + 2; i++)
        {
            var watch = Stopwatch.StartNew();
            await using var session = await sandbox.StartSessionAsync(CancellationToken.None);
            await session.ExecuteAsync("1 + 1", null, CancellationToken.None);
            if (i >= 2)
            {
                samples.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        return new Result(name, new Distribution(samples));
    }

    /// <summary>A thread's first call when the spare had time to warm up: the handover plus the call.</summary>
    private static async Task<Result> SpareAsync()
    {
        await using var sandbox = Create(new SandboxOptions { PrewarmSession = true });
        await (await sandbox.StartSessionAsync(CancellationToken.None)).DisposeAsync();
        var samples = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(6)); // the spare preloads pandas and matplotlib meanwhile
            var watch = Stopwatch.StartNew();
            await using var session = await sandbox.StartSessionAsync(CancellationToken.None);
            await session.ExecuteAsync("1 + 1", null, CancellationToken.None);
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        return new Result("pre-warmed spare (preloaded): start → first result", new Distribution(samples));
    }

    private async Task<IReadOnlyList<Result>> WarmAsync()
    {
        await using var sandbox = Create(new SandboxOptions { Preload = "", PrewarmSession = false });
        await using var session = await sandbox.StartSessionAsync(CancellationToken.None);
        var iterations = Math.Min(options.Iterations, 2000);
        var trivial = await TimeAsync(session, "x = 1 + 1", iterations);
        var printing = await TimeAsync(session, "print(x)", iterations);
        return [new Result("warm call `x = 1 + 1`", trivial), new Result("warm call `print(x)` (output streamed back)", printing)];
    }

    private static async Task<Distribution> TimeAsync(ISandboxSession session, string code, int iterations)
    {
        for (var i = 0; i < 50; i++)
        {
            await session.ExecuteAsync(code, null, CancellationToken.None);
        }

        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            await session.ExecuteAsync(code, null, CancellationToken.None);
            samples[i] = watch.Elapsed.TotalMilliseconds;
        }

        return new Distribution(samples);
    }

    private static BubblewrapSandbox Create(SandboxOptions sandboxOptions) =>
        new(sandboxOptions, TimeProvider.System, NullLogger<BubblewrapSandbox>.Instance);
}

using System.Diagnostics;
using AgentHost.Agents;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Bench;

/// <summary>
/// The library's cost per turn with an instant model: one client runs turns back to back (a fresh session every five
/// turns, so the history stays short), on the in-memory store and on SQLite; wall time and managed allocations per turn.
/// </summary>
internal static class LibraryScenario
{
    public static async Task RunAsync(BenchOptions options)
    {
        Console.WriteLine("Library overhead per turn (instant IChatClient, one caller, 5 turns per session):");
        Console.WriteLine();
        Console.WriteLine("| Store | Turns | µs per turn (mean) | p50 µs | p99 µs | KB allocated per turn |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var store in new[] { "in-memory", "sqlite" })
        {
            var folder = Directory.CreateTempSubdirectory("agenthost-bench-library-").FullName;
            var collection = new ServiceCollection().AddAgentHostEngine().AddAgentHostChatClient(new InstantChatClient());
            await using (var services = (store == "sqlite" ? collection.AddAgentHostSqliteStore(Path.Combine(folder, "bench.db")) : collection.AddAgentHostInMemoryStore()).BuildServiceProvider())
            {
                var runtime = services.GetRequiredService<AgentRuntime>();
                var agent = new Agent { Name = "bench", Model = "gpt-4o", Instructions = "Be brief." };
                await TurnsAsync(runtime, agent, Math.Max(50, options.Iterations / 10), null);
                var times = new List<double>(options.Iterations);
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var total = Stopwatch.StartNew();
                await TurnsAsync(runtime, agent, options.Iterations, times);
                total.Stop();
                var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                times.Sort();
                Console.WriteLine($"| {store} | {times.Count} | {total.Elapsed.TotalMicroseconds / times.Count:F0} | {times[times.Count / 2]:F0} | {times[(int)(times.Count * 0.99)]:F0} | {allocated / 1024.0 / times.Count:F1} |");
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        Console.WriteLine();
    }

    private static async Task TurnsAsync(AgentRuntime runtime, Agent agent, int turns, List<double>? times)
    {
        AgentSession? session = null;
        for (var i = 0; i < turns; i++)
        {
            if (i % 5 == 0)
            {
                session = await runtime.CreateSessionAsync(agent);
            }

            var started = Stopwatch.GetTimestamp();
            await foreach (var _ in session!.RunAsync("Hi"))
            {
            }

            times?.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.ManagedAgents;
using AgentHost.Core.Observability;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Bench;

/// <summary>
/// What reading a Managed Agents session's history costs per model call as its event log grows: a log of past turns is
/// written straight to the store, then a turn's history is loaded as the engine loads it before each model call (the
/// first call, then calls each after four events of the turn's own), and a next turn's first call. No HTTP, no model
/// turn: only <c>IRunHistory.LoadAsync</c> of the managed-agents door.
/// </summary>
internal static class SessionHistoryScenario
{
    private const int CallsPerTurn = 20;

    public static async Task RunAsync(BenchOptions options)
    {
        Console.WriteLine("Session history load per model call (SQLite), ms:");
        Console.WriteLine($"{"past events",12} {"compaction",10} {"1st call",9} {"next calls (mean)",18} {"next turn 1st",14}");
        foreach (var compaction in new[] { false, true })
        {
            foreach (var turns in new[] { 100, 1_000, 4_000 })
            {
                await using var host = await BenchHost.StartAsync(compaction ? [] : ["--AgentHost:ManagedAgents:CompactAtTokens=2000000000"]);
                var (first, next, nextTurn) = await MeasureAsync(host.Services, turns);
                Console.WriteLine($"{turns * 6,12} {(compaction ? "on" : "off"),10} {first,9:F1} {next,18:F2} {nextTurn,14:F1}");
            }
        }
    }

    private static async Task<(double First, double Next, double NextTurn)> MeasureAsync(IServiceProvider services, int pastTurns)
    {
        var store = services.GetRequiredService<IManagedAgentStore>();
        var histories = services.GetRequiredService<RunHistories>();
        var sessionId = "sesn_bench" + Guid.NewGuid().ToString("N");
        var text = string.Join(' ', Enumerable.Repeat("word", 40));
        var events = new List<SessionEventRecord>();
        for (var turn = 0; turn < pastTurns; turn++)
        {
            var runId = $"run_past{turn}";
            events.Add(Event("user.message", runId, new JsonObject { ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }) }));
            events.Add(Event("session.status_running", runId, []));
            events.Add(Event("span.model_request_start", runId, []));
            events.Add(Event("span.model_request_end", runId, []));
            events.Add(Event("agent.message", runId, new JsonObject { ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }) }));
            events.Add(Event("session.status_idle", runId, []));
        }

        foreach (var chunk in events.Chunk(500))
        {
            await store.AppendEventsAsync(sessionId, chunk, CancellationToken.None);
        }

        var run = await StartTurnAsync(store, sessionId);
        await store.AppendEventsAsync(sessionId, [Event("user.message", run.Id, new JsonObject { ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Go on." }) })], CancellationToken.None);
        var history = histories.For(run)!;
        var clock = Stopwatch.StartNew();
        await history.LoadAsync(run, CancellationToken.None);
        var first = clock.Elapsed.TotalMilliseconds;

        var next = TimeSpan.Zero;
        for (var call = 0; call < CallsPerTurn; call++)
        {
            await store.AppendEventsAsync(sessionId, [Event("span.model_request_start", run.Id, []), Event("span.model_request_end", run.Id, []),
                Event("agent.tool_use", run.Id, new JsonObject { ["name"] = "bash", ["input"] = new JsonObject { ["command"] = "ls" } }),
                Event("agent.tool_result", run.Id, new JsonObject { ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }) })], CancellationToken.None);
            clock.Restart();
            await history.LoadAsync(run, CancellationToken.None);
            next += clock.Elapsed;
        }

        await history.RunEndedAsync(run with { Status = RunStatus.Completed }, CancellationToken.None);
        var following = await StartTurnAsync(store, sessionId);
        await store.AppendEventsAsync(sessionId, [Event("user.message", following.Id, new JsonObject { ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Again." }) })], CancellationToken.None);
        clock.Restart();
        await histories.For(following)!.LoadAsync(following, CancellationToken.None);
        var nextTurn = clock.Elapsed.TotalMilliseconds;
        await history.RunEndedAsync(following with { Status = RunStatus.Completed }, CancellationToken.None);
        return (first, next.TotalMilliseconds / CallsPerTurn, nextTurn);
    }

    /// <summary>
    /// A new turn's run, and the session saved as a turn's start saves it (its run, and where the turn's events begin),
    /// so the turn's recorder, attached at its first history load as after a restart, reads the turn's events only.
    /// </summary>
    private static async Task<ThreadRun> StartTurnAsync(IManagedAgentStore store, string sessionId)
    {
        var id = IdGenerator.Run();
        var newest = await store.ListEventsAsync(sessionId, new SessionEventQuery { Ascending = false, Limit = 1 }, CancellationToken.None);
        var data = new JsonObject
        {
            ["session"] = new JsonObject { ["id"] = sessionId, ["agent"] = new JsonObject { ["id"] = "agent_bench", ["tools"] = new JsonArray() } },
            ["container_id"] = "cntr_bench", ["run_id"] = id, ["run_since"] = newest.Data.Count > 0 ? newest.Data[0].Sequence : 0, ["answers"] = new JsonObject(),
        }.ToJsonString();
        var stored = await store.GetAsync(ManagedObjectKinds.Session, sessionId, null, CancellationToken.None);
        _ = stored is null
            ? await store.InsertAsync(new ManagedObject { Kind = ManagedObjectKinds.Session, Id = sessionId, CreatedAtMs = 0, ParentId = "agent_bench", Status = "running", Data = data }, CancellationToken.None)
            : await store.UpdateAsync(stored with { Data = data }, null, CancellationToken.None);
        return new ThreadRun
        {
            Id = id, ThreadId = id, AssistantId = "agent_bench", Model = "gpt-4o", CreatedAt = 0, Status = RunStatus.InProgress,
            Tools = [], Metadata = new Dictionary<string, string>(), Temperature = null, TopP = null,
            Profile = new RunProfile { EntryPoint = ModelCallEntryPoints.ManagedAgents, SessionId = sessionId },
        };
    }

    private static SessionEventRecord Event(string type, string runId, JsonObject data)
    {
        var id = IdGenerator.New("sevt");
        data["id"] = id;
        data["type"] = type;
        data["processed_at"] = "2026-01-01T00:00:00Z";
        return new SessionEventRecord(id, type, runId, null, 0, data.ToJsonString());
    }
}

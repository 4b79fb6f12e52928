using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Agents.Storage;
using AgentHost.Core.Domain;
using AgentHost.Core.Json;
using AgentHost.Core.Storage;
using AgentHost.Storage.Sqlite;
using Microsoft.Extensions.AI;

namespace AgentHost.Agents.Tests.Storage;

/// <summary>The in-memory store keeps the SQLite store's rules: same saved conversation, same pages, same leases.</summary>
public sealed class InMemoryAgentStoreTests
{
    private static readonly string[] VolatileKeys = ["id", "thread_id", "run_id", "assistant_id", "message_id"];

    [Fact]
    public async Task SameConversation_IsSavedAsTheSqliteStoreSavesIt()
    {
        var saved = new List<string>();
        foreach (var inMemory in new[] { false, true })
        {
            using var host = new AgentTestHost(inMemory: inMemory);
            host.Model.Enqueue(
                ScriptedReply.Calls(("call_1", "add", """{"a":2,"b":3}"""), ("call_2", "add", """{"a":1,"b":1}""")),
                ScriptedReply.Text("5 and 2."),
                ScriptedReply.Text("Still 5."));
            var agent = AgentTestHost.Agent(AIFunctionFactory.Create((int a, int b) => a + b, "add")) with
            {
                Hooks = new AgentHooks { BeforeToolCall = [(call, _) => ValueTask.FromResult(call.CallId == "call_2" ? ToolCallDecision.Ask : ToolCallDecision.Allow)] },
            };
            var session = await host.Runtime.CreateSessionAsync(agent);
            await AgentTestHost.CollectAsync(session.RunAsync("Add them"));
            await AgentTestHost.CollectAsync(session.ContinueAsync(new Dictionary<string, ToolCallDecision> { ["call_2"] = ToolCallDecision.Allow }));
            var firstAnswer = (await session.GetMessagesAsync())[1];
            var fork = await host.Runtime.ForkSessionAsync(agent, session.Id, firstAnswer.Id);
            await AgentTestHost.CollectAsync(fork.RunAsync("Again?"));

            saved.Add(await DumpAsync(host.Store, session.Id) + "\n--fork--\n" + await DumpAsync(host.Store, fork.Id));
        }

        Assert.Contains("\"output\":\"5\"", saved[0], StringComparison.Ordinal);
        Assert.Equal(saved[0], saved[1]);
    }

    [Fact]
    public async Task Pages_MatchTheSqliteStoreForEveryCursorAndOrder()
    {
        var folder = Directory.CreateTempSubdirectory("agenthost-pages-").FullName;
        try
        {
            using var database = new SqliteDatabase(Path.Combine(folder, "pages.db"));
            IAgentStore sqlite = new SqliteAgentStore(database);
            IAgentStore memory = new InMemoryAgentStore();
            for (var i = 1; i <= 5; i++)
            {
                var assistant = new Assistant { Id = $"asst_{i}", CreatedAt = i, Model = "gpt-4o" };
                await sqlite.CreateAssistantAsync(assistant, CancellationToken.None);
                await memory.CreateAssistantAsync(assistant, CancellationToken.None);
            }

            ListQuery[] queries =
            [
                new() { Limit = 2 }, new() { Limit = 2, Ascending = true }, new() { Limit = 2, After = "asst_4" }, new() { Limit = 2, After = "asst_2", Ascending = true },
                new() { Limit = 2, Before = "asst_2" }, new() { Limit = 2, Before = "asst_4", Ascending = true }, new() { Limit = 10, After = "asst_1", Before = "asst_5", Ascending = true },
                new() { Limit = 2, After = "asst_missing" }, new() { Limit = 5 },
            ];
            foreach (var query in queries)
            {
                var expected = await sqlite.ListAssistantsAsync(query, CancellationToken.None);
                var actual = await memory.ListAssistantsAsync(query, CancellationToken.None);
                Assert.Equal((string.Join(",", expected.Data.Select(a => a.Id)), expected.HasMore), (string.Join(",", actual.Data.Select(a => a.Id)), actual.HasMore));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Leases_KeepOtherOwnersOutUntilTheyLapseOrAreReleased()
    {
        IAgentStore store = new InMemoryAgentStore();
        var now = DateTimeOffset.UnixEpoch.AddDays(1);
        var run = new ThreadRun { Id = "run_1", CreatedAt = 0, AssistantId = "asst_1", ThreadId = "thread_1", Model = "gpt-4o" };
        Assert.Null(await store.TryCreateRunAsync(run, new AssistantThread { Id = "thread_1", CreatedAt = 0 }, [], CancellationToken.None));

        Assert.NotNull(await store.TryLeaseRunAsync("run_1", "a", now, now.AddSeconds(30), CancellationToken.None));
        Assert.Null(await store.TryLeaseRunAsync("run_1", "b", now.AddSeconds(10), now.AddSeconds(40), CancellationToken.None));
        Assert.Empty(await store.FindRunsToResumeAsync(now.AddSeconds(10), DateTimeOffset.MaxValue, 10, CancellationToken.None));
        Assert.Equal(["run_1"], await store.FindRunsToResumeAsync(now.AddSeconds(31), DateTimeOffset.MaxValue, 10, CancellationToken.None));
        Assert.NotNull(await store.TryLeaseRunAsync("run_1", "b", now.AddSeconds(31), now.AddSeconds(60), CancellationToken.None));
        await store.ReleaseLeaseAsync("run_1", "b", CancellationToken.None);
        Assert.NotNull(await store.TryLeaseRunAsync("run_1", "c", now.AddSeconds(32), now.AddSeconds(60), CancellationToken.None));
        var second = run with { Id = "run_2" };
        Assert.Equal("run_1", (await store.TryCreateRunAsync(second, null, [], CancellationToken.None))?.Id);
    }

    [Fact]
    public async Task AnEndedOrPausedRun_GivesUpItsLeaseInTheStatusWrite()
    {
        IAgentStore store = new InMemoryAgentStore();
        var now = DateTimeOffset.UnixEpoch.AddDays(1);
        var run = new ThreadRun { Id = "run_1", CreatedAt = 0, AssistantId = "asst_1", ThreadId = "thread_1", Model = "gpt-4o", Status = RunStatus.InProgress };
        Assert.Null(await store.TryCreateRunAsync(run, new AssistantThread { Id = "thread_1", CreatedAt = 0 }, [], CancellationToken.None));
        Assert.NotNull(await store.TryLeaseRunAsync("run_1", "a", now, now.AddSeconds(30), CancellationToken.None));

        Assert.True(await store.TryUpdateRunAsync(run with { Status = RunStatus.RequiresAction }, RunStatus.InProgress, CancellationToken.None));
        Assert.Empty(await store.RenewLeasesAsync("a", now.AddSeconds(30), CancellationToken.None));
        Assert.True(await store.TryUpdateRunAsync(run, RunStatus.RequiresAction, CancellationToken.None));
        Assert.NotNull(await store.TryLeaseRunAsync("run_1", "b", now, now.AddSeconds(30), CancellationToken.None));
        Assert.True(await store.TryUpdateRunAsync(run with { Status = RunStatus.Completed }, RunStatus.InProgress, CancellationToken.None));
        Assert.Empty(await store.RenewLeasesAsync("b", now.AddSeconds(30), CancellationToken.None));
    }

    private static async Task<string> DumpAsync(IAgentStore store, string threadId)
    {
        var lines = new List<string>();
        foreach (var message in await store.GetThreadMessagesAsync(threadId, CancellationToken.None))
        {
            lines.Add(Normalize(JsonSerializer.SerializeToNode(message, CoreJsonContext.Default.ThreadMessage)!));
        }

        foreach (var run in (await store.ListRunsAsync(threadId, new ListQuery { Limit = 100, Ascending = true }, CancellationToken.None)).Data)
        {
            lines.Add($"{run.Status} {run.Usage?.TotalTokens}");
            foreach (var step in (await store.ListStepsAsync(threadId, run.Id, new ListQuery { Limit = 100, Ascending = true }, CancellationToken.None)).Data)
            {
                lines.Add(Normalize(JsonSerializer.SerializeToNode(step, CoreJsonContext.Default.RunStep)!));
            }
        }

        return string.Join("\n", lines);
    }

    private static string Normalize(JsonNode node)
    {
        Strip(node);
        return node.ToJsonString();
    }

    private static void Strip(JsonNode? node)
    {
        if (node is JsonObject obj)
        {
            foreach (var key in obj.Select(p => p.Key).Where(k => k.EndsWith("_at", StringComparison.Ordinal) || VolatileKeys.Contains(k)).ToList())
            {
                obj.Remove(key);
            }

            foreach (var (_, value) in obj)
            {
                Strip(value);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                Strip(item);
            }
        }
    }
}

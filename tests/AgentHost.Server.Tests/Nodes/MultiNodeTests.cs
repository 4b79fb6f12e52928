using AgentHost.Server.Tests.Conformance;
using AgentHost.Server.Tests.Runs;
using AgentHost.Server.Tests.Support;
using static AgentHost.Server.Tests.Support.VectorStorePolling;
using AgentHost.Testing.Requirements;
using OpenAI.Assistants;

namespace AgentHost.Server.Tests.Nodes;

/// <summary>Three AgentHost processes on one PostgreSQL behave as one service.</summary>
public sealed class MultiNodeTests
{
    [RequiresFact("postgres")]
    public async Task ThreeNodes_300RunsSpreadOverThem_EachCompletesExactlyOnce()
    {
        await using var cluster = await ClusterHarness.StartAsync(3);
        cluster.Upstream.Default = ScriptedTurn.Say("done");
        var clients = cluster.Nodes.Select(ClusterHarness.Client).ToArray();
        Assistant assistant = await clients[0].CreateAssistantAsync("gpt-4o");

        using var parallel = new SemaphoreSlim(24);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
            {
                await parallel.WaitAsync();
                try
                {
                    await clients[i % 3].CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { $"job-{i}" } });
                }
                finally
                {
                    parallel.Release();
                }
            }));
        }
        catch (HttpRequestException e)
        {
            Assert.Fail(e.Message + "\n" + string.Join("\n", cluster.Nodes.Select(n => n.Describe())));
        }
        await cluster.WaitForCompletedAsync(300, TimeSpan.FromMinutes(6));

        var counts = await cluster.MessageCountsAsync();
        var asked = cluster.Upstream.Requests.Select(r => r.ToJsonString()).ToList();
        var logs = string.Join("\n", cluster.Nodes.Select(n => n.Describe()));
        var timesAsked = Enumerable.Range(0, 300).Select(i => asked.Count(body => body.Contains($"\"job-{i}\"", StringComparison.Ordinal))).ToList();

        // Every run answered once. A run's model call is repeated only when its node stalled past its lease and was
        // stopped (fenced) after another node took the run over, which the stalled node logs.
        Assert.True(counts.Count == 300 && counts.All(c => (c.User, c.Assistant) == (1L, 1L)),
            $"{counts.Count} threads, {counts.Count(c => (c.User, c.Assistant) != (1L, 1L))} of them not one question and one answer.\n{logs}");
        Assert.True(timesAsked.All(n => n >= 1), $"Jobs never asked: {string.Join(", ", timesAsked.Select((n, i) => (n, i)).Where(x => x.n == 0).Select(x => x.i))}.");
        Assert.True(asked.Count == 300 || logs.Contains("another worker took it over", StringComparison.Ordinal),
            $"The model was asked {asked.Count} times for 300 runs, with no lease lost.\n{logs}");
        Assert.Equal(new Dictionary<string, long> { ["completed"] = 300 }, await cluster.RunStatusesAsync());
    }

    [RequiresFact("postgres")]
    public async Task NodeKilledWithRunsInFlight_TheOthersFinishThemWithNoMessageLostOrDuplicated()
    {
        await using var cluster = await ClusterHarness.StartAsync(3);
        var held = new TaskCompletionSource();
        for (var i = 0; i < 10; i++)
        {
            cluster.Upstream.Enqueue(new ScriptedTurn { Text = "answered", Gate = held });
        }

        cluster.Upstream.Default = ScriptedTurn.Say("finished elsewhere");
        var doomed = cluster.Nodes[2];
        var client = ClusterHarness.Client(doomed);
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o");
        var runs = new List<ThreadRun>();
        for (var i = 0; i < 10; i++)
        {
            runs.Add(await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { $"job-{i}" } }));
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (cluster.Upstream.Requests.Count < 10)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Only {cluster.Upstream.Requests.Count} of 10 runs reached the model.");
            await Task.Delay(20);
        }

        // Other nodes' sweeps may have taken some of the runs before the doomed node leased them: those finish with the
        // held answer once it is released; the runs the doomed node held are resumed elsewhere with the default answer.
        await doomed.KillAsync();
        held.TrySetResult();
        await cluster.WaitForCompletedAsync(10, TimeSpan.FromMinutes(2));

        var survivor = ClusterHarness.Client(cluster.Nodes[0]);
        var resumed = 0;
        foreach (var run in runs)
        {
            var messages = await survivor.GetMessagesAsync(run.ThreadId, new MessageCollectionOptions { Order = MessageCollectionOrder.Ascending }).ToListAsync();
            Assert.Equal(2, messages.Count);
            Assert.Equal("job-" + runs.IndexOf(run), messages[0].Content[0].Text);
            Assert.Contains(messages[1].Content[0].Text, new[] { "answered", "finished elsewhere" });
            resumed += messages[1].Content[0].Text == "finished elsewhere" ? 1 : 0;
        }

        Assert.InRange(resumed, 1, 10);
        Assert.Equal(10 + resumed, cluster.Upstream.Requests.Count);
    }

    [RequiresFact("postgres")]
    public async Task CancelAcceptedByOneNode_StopsTheRunExecutingOnAnother()
    {
        await using var cluster = await ClusterHarness.StartAsync(2);
        var never = new TaskCompletionSource();
        cluster.Upstream.Enqueue(new ScriptedTurn { Text = "never sent", Gate = never });
        var executor = ClusterHarness.Client(cluster.Nodes[0]);
        var other = ClusterHarness.Client(cluster.Nodes[1]);
        Assistant assistant = await executor.CreateAssistantAsync("gpt-4o");
        ThreadRun run = await executor.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "wait" } });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (cluster.Upstream.Requests.IsEmpty)
        {
            Assert.True(DateTime.UtcNow < deadline, "The run never reached the model.");
            await Task.Delay(20);
        }

        await other.CancelRunAsync(run.ThreadId, run.Id);

        // The model call is held for ever: only the notification can stop it before the test's deadline.
        var cancelled = await other.WaitAsync((await other.GetRunAsync(run.ThreadId, run.Id)).Value);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.Single(await other.GetMessagesAsync(run.ThreadId).ToListAsync());
    }

    [RequiresFact("postgres")]
    public async Task StreamOpenedOnOneNode_ReceivesTheRunAnotherNodeExecutes_EventForEvent()
    {
        // One node executes runs; the other serves the API only, so every run streamed from it executes elsewhere (one
        // executor, so no other node's sweep can take over the run streamed from the executor itself).
        const string Lease = "--AgentHost:Runs:LeaseDuration=00:00:05";
        await using var cluster = await ClusterHarness.StartAsync(1, Lease);
        var apiOnly = await cluster.StartNodeAsync(Lease, "--AgentHost:Runs:MaxConcurrentRuns=0");
        const string Tools = """{"model":"gpt-4o","tools":[{"type":"function","function":{"name":"get_current_weather","description":"Gets the weather"}}]}""";
        var answer = "Wear something light: it is warm and sunny, and it stays so all afternoon.";
        cluster.Upstream.Enqueue(ScriptedTurn.Call(("call_1", "get_current_weather", "{}")), ScriptedTurn.Say(answer));
        cluster.Upstream.Enqueue(ScriptedTurn.Call(("call_1", "get_current_weather", "{}")), ScriptedTurn.Say(answer));

        // The same conversation, streamed from the node that executes it and from the API-only node.
        using var executor = cluster.Nodes[0].Http();
        var local = await StreamConversationAsync(executor, await StreamingConformanceTests.CreateAssistantAsync(executor, Tools));
        using var api = apiOnly.Http();
        var remote = await StreamConversationAsync(api, await StreamingConformanceTests.CreateAssistantAsync(api, Tools));

        var logs = string.Join("\n", cluster.Nodes.Select(n => n.Describe()));
        Assert.True(local.First.Select(e => e.Event).SequenceEqual(remote.First.Select(e => e.Event)),
            $"Before the tool call:\nlocal  {string.Join(" ", local.First.Select(e => e.Event))}\nremote {string.Join(" ", remote.First.Select(e => e.Event))}\n{logs}");
        Assert.True(local.Second.Select(e => e.Event).SequenceEqual(remote.Second.Select(e => e.Event)),
            $"After submit_tool_outputs:\nlocal  {string.Join(" ", local.Second.Select(e => e.Event))}\nremote {string.Join(" ", remote.Second.Select(e => e.Event))}\n{logs}");
        Assert.Equal("thread.run.requires_action", remote.First[^2].Event);
        Assert.Equal("thread.run.completed", remote.Second[^2].Event);
        Assert.Equal(answer, Deltas(remote.Second));
        Assert.Equal(answer, remote.Second.Single(e => e.Event == "thread.message.completed").Json!.Value.GetProperty("content")[0].GetProperty("text").GetProperty("value").GetString());

        // Only the run streamed from another node than its executor went through the database.
        var written = await cluster.CountAsync("SELECT COUNT(*) FROM run_events WHERE run_id = @id", ("@id", local.RunId));
        Assert.True(written == 0, $"{written} events of the local run written: " + await cluster.TextAsync(
            "SELECT string_agg(DISTINCT node || ' ' || watch, ', ') || ' / ' || (SELECT COALESCE(watched_by, '-') FROM runs WHERE id = @id) FROM run_events WHERE run_id = @id", ("@id", local.RunId)) + "\n" + logs);
        Assert.True(await cluster.CountAsync("SELECT COUNT(*) FROM run_events WHERE run_id = @id", ("@id", remote.RunId)) > 0);
    }

    private static async Task<(string RunId, IReadOnlyList<SseEvent> First, IReadOnlyList<SseEvent> Second)> StreamConversationAsync(HttpClient http, string assistantId)
    {
        var first = await StreamingConformanceTests.StreamAsync(http, "threads/runs",
            $$"""{"assistant_id":"{{assistantId}}","thread":{"messages":[{"role":"user","content":"What should I wear?"}]},"stream":true}""");
        var run = first.Single(e => e.Event == "thread.run.requires_action").Json!.Value;
        var runId = run.GetProperty("id").GetString()!;
        var second = await StreamingConformanceTests.StreamAsync(http, $"threads/{run.GetProperty("thread_id").GetString()}/runs/{runId}/submit_tool_outputs",
            """{"tool_outputs":[{"tool_call_id":"call_1","output":"warm and sunny"}],"stream":true}""");
        return (runId, first, second);
    }

    private static string Deltas(IEnumerable<SseEvent> events) => string.Concat(events.Where(e => e.Event == "thread.message.delta")
        .Select(e => e.Json!.Value.GetProperty("delta").GetProperty("content")[0].GetProperty("text").GetProperty("value").GetString()));

    [RequiresFact("postgres")]
    public async Task VectorStoreChangedThroughOneNode_IsSearchedAsChangedThroughTheOthers()
    {
        // Three processes start at once on a fresh schema: each version is applied once (a race would fail a node's start).
        await using var cluster = await ClusterHarness.StartAsync(3);
        Assert.Equal(0, await cluster.CountAsync("SELECT COUNT(*) - COUNT(DISTINCT version) + (MAX(version) - COUNT(*)) FROM schema_version"));
        using var writer = cluster.Nodes[0].Http();
        var zebras = await UploadAsync(writer, "zebras.txt", System.Text.Encoding.UTF8.GetBytes("Zebras have black and white stripes and graze on the African savanna."));
        using var created = await PostAsync(writer, "vector_stores", $$"""{"file_ids":["{{zebras}}"]}""");
        var id = created.RootElement.GetProperty("id").GetString()!;
        Assert.Equal(1, (await WaitUntilIngestedAsync(writer, id)).GetProperty("file_counts").GetProperty("completed").GetInt32());

        // The other nodes load the store now, before the next file arrives.
        var readers = cluster.Nodes.Skip(1).Select(n => n.Http()).ToList();
        foreach (var reader in readers)
        {
            Assert.Contains(zebras, await SearchAsync(reader, id, "striped animals of the savanna"));
        }

        var tides = await UploadAsync(writer, "tides.md", System.Text.Encoding.UTF8.GetBytes("# Tides\n\nOcean tides are caused by the gravitational pull of the Moon."));
        using (await PostAsync(writer, $"vector_stores/{id}/files", $$"""{"file_id":"{{tides}}"}"""))
        {
        }

        Assert.Equal(2, (await WaitUntilIngestedAsync(writer, id)).GetProperty("file_counts").GetProperty("completed").GetInt32());
        foreach (var reader in readers)
        {
            await WaitForHitsAsync(reader, id, "what causes ocean tides", hits => hits.Contains(tides), "the file added through another node");
        }

        using (var deleted = await writer.DeleteAsync($"vector_stores/{id}/files/{zebras}"))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        foreach (var reader in readers)
        {
            await WaitForHitsAsync(reader, id, "striped animals of the savanna", hits => !hits.Contains(zebras), "no hit of the file deleted through another node");
        }

        foreach (var reader in readers)
        {
            reader.Dispose();
        }
    }

    private static async Task<List<string>> SearchAsync(HttpClient http, string storeId, string query)
    {
        using var hits = await PostAsync(http, $"vector_stores/{storeId}/search", $$"""{"query":"{{query}}"}""");
        return [.. hits.RootElement.GetProperty("data").EnumerateArray().Select(h => h.GetProperty("file_id").GetString()!)];
    }

    /// <summary>Searches until <paramref name="expected"/> holds (the other node learns of the change by a notification), failing at a deadline.</summary>
    private static async Task WaitForHitsAsync(HttpClient http, string storeId, string query, Func<List<string>, bool> expected, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var hits = await SearchAsync(http, storeId, query);
            if (expected(hits))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Searching '{query}' through {http.BaseAddress} never gave {what}: {string.Join(", ", hits)}.");
            await Task.Delay(100);
        }
    }
}

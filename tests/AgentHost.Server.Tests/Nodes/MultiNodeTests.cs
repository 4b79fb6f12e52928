using AgentHost.Server.Tests.Support;
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
        if (counts.Any(c => c.Assistant != 1))
        {
            // The nodes' warnings (lapsed leases, transient PostgreSQL failures) say why a run ran twice.
            Assert.Fail($"{counts.Count(c => c.Assistant != 1)} threads have other than one answer; the model was asked {cluster.Upstream.Requests.Count} times.\n"
                + string.Join("\n", cluster.Nodes.Select(n => n.Describe())));
        }

        Assert.Equal(300, counts.Count);
        Assert.All(counts, c => Assert.Equal((1L, 1L), (c.User, c.Assistant)));
        var asked = cluster.Upstream.Requests.Select(r => r.ToJsonString()).ToList();
        Assert.Equal(300, asked.Count);
        Assert.All(Enumerable.Range(0, 300), i => Assert.Single(asked, body => body.Contains($"\"job-{i}\"", StringComparison.Ordinal)));
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
}

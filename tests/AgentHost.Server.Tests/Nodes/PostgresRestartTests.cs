using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;
using OpenAI.Assistants;

namespace AgentHost.Server.Tests.Nodes;

/// <summary>AgentHost on a PostgreSQL server that restarts under it.</summary>
public sealed class PostgresRestartTests
{
    [RequiresFact("postgres")]
    public async Task PostgresRestartedWithRunsInFlight_TheRunsCompleteAfterReconnecting_EachOnce()
    {
        await using var postgres = await PrivatePostgresCluster.StartAsync();
        await using var upstream = await ScriptedUpstream.StartAsync();
        var dataDir = Directory.CreateTempSubdirectory("agenthost-restart-").FullName;
        try
        {
            using var node = await ServerProcess.StartAsync(ServerProcess.FreePort(), dataDir,
                $"--ConnectionStrings:Postgres={postgres.ConnectionString}", $"--AgentHost:Providers:OpenAI:BaseUrl={upstream.BaseUrl}",
                "--AgentHost:Providers:Retry:MaxAttempts=1", "--AgentHost:Runs:SweepInterval=00:00:00.200");
            var held = new TaskCompletionSource();
            const int Runs = 5;
            for (var i = 0; i < Runs; i++)
            {
                upstream.Enqueue(new ScriptedTurn { Text = "answered after the restart", Gate = held });
            }

            var client = ClusterHarness.Client(node);
            Assistant assistant = await client.CreateAssistantAsync("gpt-4o");
            var runs = new List<ThreadRun>();
            for (var i = 0; i < Runs; i++)
            {
                runs.Add(await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { $"job-{i}" } }));
            }

            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (upstream.Requests.Count < Runs)
            {
                Assert.True(DateTime.UtcNow < deadline, $"Only {upstream.Requests.Count} of {Runs} runs reached the model.\n{node.Describe()}");
                await Task.Delay(20);
            }

            // Every run is in its model call, holding its lease, when the server drops every connection.
            await postgres.RestartAsync();
            held.TrySetResult();

            foreach (var run in runs)
            {
                var finished = await client.WaitAsync(run);
                Assert.True(finished.Status == RunStatus.Completed, $"{run.Id} ended {finished.Status}: {finished.LastError?.Message}\n{node.Describe()}");
                var messages = await client.GetMessagesAsync(run.ThreadId, new MessageCollectionOptions { Order = MessageCollectionOrder.Ascending }).ToListAsync();
                Assert.Equal(["job-" + runs.IndexOf(run), "answered after the restart"], messages.Select(m => m.Content[0].Text));
            }

            Assert.Equal(Runs, upstream.Requests.Count);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}

using System.Text;
using System.Text.Json;
using AgentHost.Server.Hosting.Cli;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;
using OpenAI.Assistants;
using static AgentHost.Server.Tests.Support.VectorStorePolling;

namespace AgentHost.Server.Tests.Hosting;

/// <summary><c>agenthost migrate</c> moves a SQLite installation to PostgreSQL with every object readable and searchable.</summary>
public sealed class MigrateCommandTests
{
    [RequiresFact("postgres")]
    public async Task ASqliteInstallation_MigratedToPostgres_KeepsEveryObject_AndGoesOnWorking()
    {
        var dataDir = Directory.CreateTempSubdirectory("agenthost-migrate-").FullName;
        var shared = Directory.CreateTempSubdirectory("agenthost-migrate-shared-").FullName;
        var (connectionString, drop) = await TestStore.CreatePostgresSchemaAsync();
        try
        {
            var sqlite = new Dictionary<string, string?> { ["AgentHost:DataDir"] = dataDir, ["ConnectionStrings:Postgres"] = "" };
            Before before;
            await using (var server = await AgentHostServer.StartAsync(settings: sqlite))
            {
                before = await PopulateAsync(server);
            }

            var output = new StringWriter();
            var exit = await MigrateCommand.RunAsync(["--from", "sqlite:" + dataDir, "--to", "postgres:" + connectionString, "--shared-directory", shared], output);
            Assert.True(exit == 0, output.ToString());
            Assert.Matches(@"assistants\s+1 row\(s\)", output.ToString());

            var again = new StringWriter();
            Assert.Equal(2, await MigrateCommand.RunAsync(["--from", "sqlite:" + dataDir, "--to", "postgres:" + connectionString], again));
            Assert.Contains("already holds data", again.ToString(), StringComparison.Ordinal);

            var postgres = new Dictionary<string, string?>
            {
                ["AgentHost:DataDir"] = Directory.CreateTempSubdirectory("agenthost-migrate-node-").FullName,
                ["ConnectionStrings:Postgres"] = connectionString,
                ["AgentHost:Postgres:SharedDirectory"] = shared,
            };
            await using (var server = await AgentHostServer.StartAsync(settings: postgres))
            {
                await AssertKeptAsync(server, before);
            }
        }
        finally
        {
            await drop();
            Directory.Delete(dataDir, recursive: true);
            Directory.Delete(shared, recursive: true);
        }
    }

    [Fact]
    public async Task BadArguments_AreRefused_SayingWhatToPass()
    {
        var output = new StringWriter();

        Assert.Equal(2, await MigrateCommand.RunAsync(["--from", "sqlite:/nonexistent/agenthost", "--to", "postgres:Host=localhost"], output));
        Assert.Equal(2, await MigrateCommand.RunAsync(["--from", "mysql:x", "--to", "postgres:Host=localhost"], output));
        Assert.Equal(2, await MigrateCommand.RunAsync(["--from", "sqlite:."], output));

        var text = output.ToString();
        Assert.Contains("No AgentHost database at /nonexistent/agenthost: --from names the data directory", text, StringComparison.Ordinal);
        Assert.Contains("--from takes sqlite:<data directory or agenthost.db>", text, StringComparison.Ordinal);
        Assert.Contains("--to is required.", text, StringComparison.Ordinal);
    }

    private sealed record Before(string AssistantId, string ThreadId, string RunId, string FileId, string VectorStoreId, string ResponseId, string ConversationId);

    private static async Task<Before> PopulateAsync(AgentHostServer server)
    {
        server.Upstream.Enqueue(ScriptedTurn.Say("The warehouse opens in Tromsø."), ScriptedTurn.Say("Stored response."));
        using var http = server.Http();
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Name = "Planner", Metadata = { ["team"] = "north" } });
        ThreadRun run = await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "Where does the warehouse open?" } });
        run = await client.WaitAsync(run);
        Assert.Equal(RunStatus.Completed, run.Status);

        var fileId = await UploadAsync(http, "plan.txt", Encoding.UTF8.GetBytes("The new warehouse opens in Tromsø next spring."));
        using var store = await PostAsync(http, "vector_stores", $$"""{"name":"plans","file_ids":["{{fileId}}"]}""");
        var storeId = store.RootElement.GetProperty("id").GetString()!;
        Assert.Equal(1, (await WaitUntilIngestedAsync(http, storeId)).GetProperty("file_counts").GetProperty("completed").GetInt32());

        using var response = await PostAsync(http, "responses", """{"model":"gpt-4o","input":"Say something."}""");
        using var conversation = await PostAsync(http, "conversations", """{"items":[{"type":"message","role":"user","content":"Hello"}]}""");
        return new Before(assistant.Id, run.ThreadId, run.Id, fileId, storeId,
            response.RootElement.GetProperty("id").GetString()!, conversation.RootElement.GetProperty("id").GetString()!);
    }

    private static async Task AssertKeptAsync(AgentHostServer server, Before before)
    {
        using var http = server.Http();
        var client = server.Assistants();

        Assistant assistant = await client.GetAssistantAsync(before.AssistantId);
        Assert.Equal("Planner", assistant.Name);
        Assert.Equal("north", assistant.Metadata["team"]);
        ThreadRun run = await client.GetRunAsync(before.ThreadId, before.RunId);
        Assert.Equal(RunStatus.Completed, run.Status);
        var messages = await client.GetMessagesAsync(before.ThreadId, new MessageCollectionOptions { Order = MessageCollectionOrder.Ascending }).ToListAsync();
        Assert.Equal(["Where does the warehouse open?", "The warehouse opens in Tromsø."], messages.Select(m => m.Content[0].Text));

        Assert.Equal("The new warehouse opens in Tromsø next spring.", await http.GetStringAsync($"files/{before.FileId}/content"));
        using var hits = await PostAsync(http, $"vector_stores/{before.VectorStoreId}/search", """{"query":"when does the warehouse open","max_num_results":1}""");
        Assert.Equal(before.FileId, hits.RootElement.GetProperty("data")[0].GetProperty("file_id").GetString());

        using var response = JsonDocument.Parse(await http.GetStringAsync($"responses/{before.ResponseId}"));
        Assert.Equal("Stored response.", response.RootElement.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        using var items = JsonDocument.Parse(await http.GetStringAsync($"conversations/{before.ConversationId}/items"));
        Assert.Equal("Hello", items.RootElement.GetProperty("data")[0].GetProperty("content")[0].GetProperty("text").GetString());

        // The migrated thread goes on: a new run's messages follow the old ones.
        server.Upstream.Enqueue(ScriptedTurn.Say("Next spring."));
        await client.CreateMessageAsync(before.ThreadId, MessageRole.User, ["When?"]);
        ThreadRun next = await client.WaitAsync(await client.CreateRunAsync(before.ThreadId, before.AssistantId));
        Assert.Equal(RunStatus.Completed, next.Status);
        var after = await client.GetMessagesAsync(before.ThreadId, new MessageCollectionOptions { Order = MessageCollectionOrder.Ascending }).ToListAsync();
        Assert.Equal(["Where does the warehouse open?", "The warehouse opens in Tromsø.", "When?", "Next spring."], after.Select(m => m.Content[0].Text));
    }
}

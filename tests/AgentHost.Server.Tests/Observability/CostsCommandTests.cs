using AgentHost.Server.Observability.Cli;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;
using OpenAI.Assistants;

namespace AgentHost.Server.Tests.Observability;

public sealed class CostsCommandTests
{
    [Fact]
    public async Task Estimate_PrintsThePerCallSplitAndMonthlyCosts()
    {
        using var output = new StringWriter();

        var exit = await CostsCommand.RunAsync(["estimate", "--models", "gpt-4o,claude-3-5-haiku"], output, TimeProvider.System);

        Assert.Equal(0, exit);
        var text = output.ToString();
        Assert.Contains("     3     940       0            0     300", text, StringComparison.Ordinal);
        Assert.Contains("$88.00", text, StringComparison.Ordinal);
        Assert.Contains("$30.88", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Estimate_WithBadInput_SaysWhatIsWrong()
    {
        using var output = new StringWriter();

        var exit = await CostsCommand.RunAsync(["estimate", "--cache-hit", "2"], output, TimeProvider.System);

        Assert.Equal(2, exit);
        Assert.Contains("--cache-hit is a share between 0 and 1", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_ReadsRecordedUsageFromTheDataDirectory()
    {
        // The report reads the data directory's SQLite file: this server keeps its data there whatever the suite's store.
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["ConnectionStrings:Postgres"] = "" });
        server.Upstream.Enqueue(ScriptedTurn.Say("hi") with { PromptTokens = 1000, CompletionTokens = 100 });
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o");
        await client.WaitAsync(await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "hi" } }));
        using var output = new StringWriter();

        var exit = await CostsCommand.RunAsync(["report", "--since", "2000-01-01", "--data-dir", server.DataDir], output, TimeProvider.System);

        Assert.Equal(0, exit);
        var line = output.ToString().Split('\n').Single(l => l.TrimStart().StartsWith("gpt-4o", StringComparison.Ordinal));
        Assert.Contains("1000", line, StringComparison.Ordinal);
        Assert.Contains("$0.0035", line, StringComparison.Ordinal);
    }

    [RequiresFact("postgres")]
    public async Task Report_ReadsRecordedUsageFromPostgres()
    {
        var (connectionString, drop) = await TestStore.CreatePostgresSchemaAsync();
        try
        {
            await using (var server = await AgentHostServer.StartAsync(settings: new() { ["ConnectionStrings:Postgres"] = connectionString }))
            {
                server.Upstream.Enqueue(ScriptedTurn.Say("hi") with { PromptTokens = 1000, CompletionTokens = 100 });
                var client = server.Assistants();
                Assistant assistant = await client.CreateAssistantAsync("gpt-4o");
                await client.WaitAsync(await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "hi" } }));
            }

            using var output = new StringWriter();
            var exit = await CostsCommand.RunAsync(["report", "--since", "2000-01-01", "--postgres", connectionString], output, TimeProvider.System);

            Assert.True(exit == 0, output.ToString());
            var line = output.ToString().Split('\n').Single(l => l.TrimStart().StartsWith("gpt-4o", StringComparison.Ordinal));
            Assert.Contains("1000", line, StringComparison.Ordinal);
            Assert.Contains("$0.0035", line, StringComparison.Ordinal);
        }
        finally
        {
            await drop();
        }
    }
}

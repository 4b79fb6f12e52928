using AgentHost.Core.Domain;
using AgentHost.Testing.Requirements;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AgentHost.Agents.Tests.Storage;

/// <summary>The library on PostgreSQL: sessions live in the database, so another process's runtime resumes them.</summary>
public sealed class PostgresAgentStoreTests
{
    [RequiresFact("postgres")]
    public async Task ASessionSavedByOneRuntime_IsResumedByAnother_WithItsWholeConversation()
    {
        var server = Environment.GetEnvironmentVariable("AGENTHOST_TEST_POSTGRES")!;
        var schema = "agents_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(server, $"CREATE SCHEMA {schema}");
        var connectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ConnectionString;
        try
        {
            var agent = AgentTestHost.Agent(AIFunctionFactory.Create((int a, int b) => a + b, "add"));
            var model = new ScriptedChatClient();
            model.Enqueue(ScriptedReply.Calls(("call_1", "add", """{"a":2,"b":3}""")), ScriptedReply.Text("5."), ScriptedReply.Text("Still 5."));

            string sessionId;
            await using (var first = Runtime(connectionString, model))
            {
                var session = await first.GetRequiredService<AgentRuntime>().CreateSessionAsync(agent);
                sessionId = session.Id;
                await AgentTestHost.CollectAsync(session.RunAsync("Add 2 and 3"));
            }

            await using var second = Runtime(connectionString, model);
            var resumed = await second.GetRequiredService<AgentRuntime>().ResumeSessionAsync(agent, sessionId);
            await AgentTestHost.CollectAsync(resumed.RunAsync("Again?"));

            var messages = await resumed.GetMessagesAsync();
            Assert.Equal(["Add 2 and 3", "5.", "Again?", "Still 5."], messages.Select(m => m.Content[0].Text!.Value));
            Assert.Equal([MessageRoles.User, MessageRoles.Assistant, MessageRoles.User, MessageRoles.Assistant], messages.Select(m => m.Role));
            var lastPrompt = string.Join("\n", model.Calls.Last().Messages.Select(m => m.Text));
            Assert.Contains("Add 2 and 3", lastPrompt, StringComparison.Ordinal);
            Assert.Contains("5.", lastPrompt, StringComparison.Ordinal);
            Assert.Contains(model.Calls.ElementAt(1).Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>(), r => r.CallId == "call_1");
        }
        finally
        {
            await ExecuteAsync(server, $"DROP SCHEMA {schema} CASCADE");
        }
    }

    private static ServiceProvider Runtime(string connectionString, ScriptedChatClient model) => new ServiceCollection()
        .AddAgentHostEngine().AddAgentHostChatClient(model).AddAgentHostPostgresStore(connectionString).BuildServiceProvider();

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

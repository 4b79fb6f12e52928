using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Agents;
using AgentHost.Core.Json;
using AgentHost.Core.Models;
using AgentHost.Core.Storage;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Assistants;

namespace AgentHost.Server.Tests.Runs;

/// <summary>The library and the HTTP API drive one engine: the same scripted conversation leaves the same saved thread.</summary>
public sealed class LibraryParityTests
{
    private static readonly string[] VolatileKeys = ["id", "thread_id", "run_id", "assistant_id", "message_id"];

    [Fact]
    public async Task SameScriptedConversation_ThroughLibraryAndHttp_SavesTheSameMessagesAndSteps()
    {
        await using var server = await AgentHostServer.StartAsync();
        ScriptedTurn[] script = [ScriptedTurn.Call(("call_1", "get_weather", """{"city":"Oslo"}""")), ScriptedTurn.Say("It is 21 C in Oslo.")];
        var store = server.Services.GetRequiredService<IAgentStore>();

        // Through HTTP with the official SDK: the client runs the function and submits its output.
        server.Upstream.Enqueue(script);
        var client = server.Assistants();
        var assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions
        {
            Instructions = "Be brief.",
            Tools = { new FunctionToolDefinition("get_weather") { Parameters = BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""") } },
        });
        var thread = await client.CreateThreadAsync(new ThreadCreationOptions { InitialMessages = { "Weather in Oslo?" } });
        var run = await client.WaitAsync(await client.CreateRunAsync(thread.Value.Id, assistant.Value.Id));
        Assert.Equal(RunStatus.RequiresAction, run.Status);
        run = await client.WaitAsync(await client.SubmitToolOutputsToRunAsync(thread.Value.Id, run.Id, [new ToolOutput("call_1", "21 C")]));
        Assert.Equal(RunStatus.Completed, run.Status);
        var overHttp = await SavedAsync(store, thread.Value.Id, run.Id);

        // Through the library, on its own store, with the same model behind the same provider.
        server.Upstream.Enqueue(script);
        var folder = Directory.CreateTempSubdirectory("agenthost-parity-").FullName;
        await using (var services = new ServiceCollection()
            .AddAgentHostEngine()
            .AddAgentHostSqliteStore(Path.Combine(folder, "agents.db"))
            .AddAgentHostChatClient(server.Services.GetRequiredService<IModelRouter>().GetClient("gpt-4o"))
            .BuildServiceProvider())
        {
            var agent = new Agent
            {
                Name = "weather", Model = "gpt-4o", Instructions = "Be brief.",
                Functions = [AIFunctionFactory.Create((string city) => "21 C", "get_weather")],
            };
            var session = await services.GetRequiredService<AgentRuntime>().CreateSessionAsync(agent);
            string? runId = null;
            await foreach (var agentEvent in session.RunAsync("Weather in Oslo?"))
            {
                runId = agentEvent.RunId;
            }

            var viaLibrary = await SavedAsync(services.GetRequiredService<IAgentStore>(), session.Id, runId!);

            Assert.Equal(overHttp.Messages, viaLibrary.Messages);
            Assert.Equal(overHttp.Steps, viaLibrary.Steps);
            Assert.Equal(overHttp.Run, viaLibrary.Run);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>The thread's messages, the run's steps and the run's outcome as JSON, without ids and timestamps.</summary>
    private static async Task<(string Messages, string Steps, string Run)> SavedAsync(IAgentStore store, string threadId, string runId)
    {
        var messages = await store.GetThreadMessagesAsync(threadId, CancellationToken.None);
        var steps = await store.ListStepsAsync(threadId, runId, new ListQuery { Limit = 100, Ascending = true }, CancellationToken.None);
        var run = (await store.GetRunAsync(threadId, runId, CancellationToken.None))!;
        return (
            string.Join("\n", messages.Select(m => Normalize(JsonSerializer.SerializeToNode(m, CoreJsonContext.Default.ThreadMessage)!))),
            string.Join("\n", steps.Data.Select(s => Normalize(JsonSerializer.SerializeToNode(s, CoreJsonContext.Default.RunStep)!))),
            $"{run.Status} {run.Usage?.PromptTokens}/{run.Usage?.CompletionTokens} {run.LastError} {run.IncompleteDetails}");
    }

    private static string Normalize(JsonNode node)
    {
        Strip(node);
        return node.ToJsonString();
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).Where(k => k.EndsWith("_at", StringComparison.Ordinal) || VolatileKeys.Contains(k)).ToList())
                {
                    obj.Remove(key);
                }

                foreach (var (_, value) in obj)
                {
                    Strip(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Strip(item);
                }

                break;
        }
    }
}

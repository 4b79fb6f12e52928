using AgentHost.Agents;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Library;

namespace AgentHost.Server.Tests.Samples;

/// <summary>The orchestrator sample: a research sub-agent and a coding sub-agent in AgentHost's sandbox, in-process.</summary>
public sealed class OrchestratorSampleTests
{
    private const string Answer = "Oslo has 709,000 people; divided by 7 that is about 101,285.71.";

    [RequiresFact("bwrap")]
    public async Task OrchestratorSample_DelegatesToBothSubAgents_AndTheCoderRunsPythonInTheSandbox()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_r", "researcher", """{"task":"How many people live in Oslo?"}""")),
            ScriptedTurn.Call(("call_f", "lookup_fact", """{"query":"population of Oslo"}""")),
            ScriptedTurn.Say("709,000 people."),
            ScriptedTurn.Call(("call_c", "coder", """{"task":"Compute 709000 / 7."}""")),
            ScriptedTurn.Call(("call_py", "code_interpreter", """{"code":"print(709000 / 7)"}""")),
            ScriptedTurn.Say("101285.71"),
            ScriptedTurn.Say(Answer));
        var data = Directory.CreateTempSubdirectory("agenthost-orchestrator-sample-").FullName;
        using var log = new StringWriter();
        try
        {
            await using var services = new ServiceCollection()
                .AddAgentHostEngine()
                .AddAgentHostSqliteStore(Path.Combine(data, "sessions.db"))
                .AddAgentHostChatClient(server.Chat("gpt-4o").AsIChatClient())
                .AddCodeInterpreter(Path.Combine(data, "files"))
                .BuildServiceProvider();

            var answer = await OrchestratorAgent.RunAsync(services.GetRequiredService<AgentRuntime>(), "gpt-4o", "How many people live in Oslo, divided by 7?", log);

            Assert.Equal(Answer, answer);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }

        var written = log.ToString();
        Assert.Contains("researcher: lookup_fact({\"query\":\"population of Oslo\"})", written, StringComparison.Ordinal);
        Assert.Contains("coder: code_interpreter(", written, StringComparison.Ordinal);
        Assert.Contains("-> code_interpreter: 101285.71428571429", written, StringComparison.Ordinal);
        Assert.Contains("-> coder: 101285.71", written, StringComparison.Ordinal);
        Assert.Contains("[completed]", written, StringComparison.Ordinal);
        // The coder's model read the sandbox's output, and the orchestrator read the coder's answer.
        var requests = server.Upstream.Requests.ToArray();
        Assert.Equal(7, requests.Length);
        Assert.Contains("101285.71428571429", requests[5].ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("101285.71", requests[6].ToJsonString(), StringComparison.Ordinal);
    }
}

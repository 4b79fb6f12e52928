using System.ComponentModel;
using AgentHost.Agents;
using AgentHost.Core.Domain;
using AgentHost.Core.Events;
using AgentHost.Core.Files;
using AgentHost.Core.Sandbox;
using AgentHost.Core.Tools;
using AgentHost.Core.Tools.CodeInterpreter;
using AgentHost.Sandbox;
using AgentHost.Storage.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Orchestrator.Library;

/// <summary>
/// An orchestrator that delegates: <c>researcher</c> looks facts up with a C# function, <c>coder</c> computes with
/// Python in AgentHost's sandbox. The orchestrator's hook sees (and logs) every call of its sub-agents too.
/// </summary>
public static class OrchestratorAgent
{
    /// <summary>The orchestrator and its two sub-agents, all on <paramref name="model"/>.</summary>
    public static Agent Create(string model, TextWriter log) => new()
    {
        Name = "orchestrator",
        Model = model,
        Instructions = "Answer by delegating: facts to researcher, arithmetic to coder. Then answer in one sentence.",
        SubAgents =
        [
            new Agent
            {
                Name = "researcher",
                Model = model,
                Description = "Finds facts about cities.",
                Instructions = "Look facts up with lookup_fact and answer with them.",
                Functions = [AIFunctionFactory.Create(LookupFact, "lookup_fact", "Looks a fact up in the reference notes.")],
            },
            new Agent
            {
                Name = "coder",
                Model = model,
                Description = "Computes with Python.",
                Instructions = "Compute with the code interpreter; answer with the result.",
                BuiltInTools = [ToolDefinition.CodeInterpreter],
            },
        ],
        Hooks = new AgentHooks
        {
            BeforeToolCall = [(call, _) => { log.WriteLine($"{call.AgentName}: {call.Name}({call.Arguments})"); return ValueTask.FromResult(ToolCallDecision.Allow); }],
        },
        Limits = new AgentLimits { MaxTurns = 10, Timeout = TimeSpan.FromMinutes(5) },
    };

    /// <summary>
    /// The engine with the code interpreter in-process: AgentHost's bubblewrap sandbox, Python sessions per session
    /// thread, and files (charts, written files) in the same SQLite store as the sessions. Sandbox logs are dropped.
    /// </summary>
    public static IServiceCollection AddCodeInterpreter(this IServiceCollection services, string filesDirectory) => services
        .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
        .AddSingleton(new SandboxOptions())
        .AddSingleton(new CodeInterpreterOptions())
        .AddSingleton<ICodeSandbox, BubblewrapSandbox>()
        .AddSingleton<CodeInterpreterSessions>()
        .AddSingleton<IFileStore>(sp => new SqliteFileStore(sp.GetRequiredService<SqliteDatabase>(), filesDirectory, new FileLimits(), sp.GetRequiredService<TimeProvider>()))
        .AddSingleton<IToolSource, CodeInterpreterTool>();

    /// <summary>Asks <paramref name="question"/> in a new session; returns the answer. Tool calls and sub-agent answers go to <paramref name="log"/>.</summary>
    public static async Task<string> RunAsync(AgentRuntime runtime, string model, string question, TextWriter log, CancellationToken cancellationToken = default)
    {
        var session = await runtime.CreateSessionAsync(Create(model, log), cancellationToken);
        var answer = new System.Text.StringBuilder();
        string? ownRun = null;
        await foreach (var agentEvent in session.RunAsync(question, cancellationToken))
        {
            // The turn's own events come first; its sub-agents' events (under their own runs) join after each call.
            ownRun ??= agentEvent.RunId;
            switch (agentEvent)
            {
                case ToolCallCompleted call:
                    log.WriteLine($"  -> {call.Name}: {call.Output.Trim()}");
                    break;
                case MessageStarted when agentEvent.RunId == ownRun:
                    answer.Clear();
                    break;
                case TextDelta delta when agentEvent.RunId == ownRun:
                    answer.Append(delta.Text);
                    break;
                case RunStatusChanged { Run.Status: not (RunStatus.InProgress or RunStatus.Queued) } ended when agentEvent.RunId == ownRun:
                    log.WriteLine($"[{ended.Run.Status}] (session {session.Id})");
                    break;
            }
        }

        return answer.ToString();
    }

    private static string LookupFact([Description("What to look up, e.g. 'population of Oslo'")] string query) =>
        query.Contains("oslo", StringComparison.OrdinalIgnoreCase) ? "Oslo has 709,000 inhabitants." : "No note on that.";
}

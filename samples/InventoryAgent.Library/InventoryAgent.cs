using System.ComponentModel;
using AgentHost.Agents;
using AgentHost.Core.Domain;
using AgentHost.Core.Events;
using InventoryAgent.Anthropic;
using Microsoft.Extensions.AI;

namespace InventoryAgent.Library;

/// <summary>
/// The same inventory agent with AgentHost.Agents: <c>search_database</c> is a plain C# method, the library runs the
/// loop (model call, tool calls, results back) and saves the session; the program only reads the typed events.
/// </summary>
public static class InventoryAgent
{
    /// <summary>The agent: instructions, the model, and the one tool, which may only read.</summary>
    public static Agent Create(string model) => new()
    {
        Name = "inventory",
        Model = model,
        Instructions = "You answer stock questions. Use search_database for every item asked about.",
        Functions = [AIFunctionFactory.Create(Search, "search_database", "Searches the inventory database for items whose name contains the query words.")],
        Permissions = ToolPermissions.AllowOnly("search_database"),
        Limits = new AgentLimits { MaxTurns = 10, Timeout = TimeSpan.FromMinutes(2) },
    };

    /// <summary>Asks <paramref name="question"/> in a new session and returns the answer; each tool call is written to <paramref name="log"/>.</summary>
    public static async Task<string> RunAsync(AgentRuntime runtime, string model, string question, TextWriter log, CancellationToken cancellationToken = default)
    {
        var session = await runtime.CreateSessionAsync(Create(model), cancellationToken);
        var answer = new System.Text.StringBuilder();
        await foreach (var agentEvent in session.RunAsync(question, cancellationToken))
        {
            switch (agentEvent)
            {
                case ToolCallCompleted call:
                    log.WriteLine($"{call.Name}({call.Arguments}) -> {call.Output}");
                    break;
                case MessageStarted:
                    answer.Clear();
                    break;
                case TextDelta delta:
                    answer.Append(delta.Text);
                    break;
                case RunStatusChanged { Run.Status: not (RunStatus.InProgress or RunStatus.Queued) } ended:
                    log.WriteLine($"[{ended.Run.Status}] {answer} (session {session.Id})");
                    break;
            }
        }

        return answer.ToString();
    }

    private static string Search([Description("Words to look for, e.g. 'blue widget'")] string query) => InventoryDatabase.Search(query);
}

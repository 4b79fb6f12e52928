using System.Collections.Immutable;
using System.Text.Json;
using AgentHost.Core.Domain;
using Microsoft.Extensions.AI;

namespace AgentHost.Agents;

/// <summary>Turns an agent's C# functions into tool definitions and runs the calls the model makes to them.</summary>
internal static class AgentTools
{
    private static readonly JsonElement TaskParameters = JsonDocument.Parse("""
        {"type":"object","properties":{"task":{"type":"string","description":"The task, with everything the agent needs to know to do it: it sees nothing else of this conversation."}},"required":["task"]}
        """).RootElement.Clone();

    public static IReadOnlyList<ToolDefinition> DefinitionsOf(Agent agent)
    {
        var duplicate = agent.Functions.Select(f => f.Name).Concat(agent.SubAgents.Select(SubAgentFunctionName))
            .GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Agent '{agent.Name}' has two tools (functions or sub-agents) named '{duplicate.Key}'; tool names must be unique.", nameof(agent));
        }

        return
        [
            .. agent.BuiltInTools,
            .. agent.Functions.Select(f => new ToolDefinition
            {
                Type = ToolTypes.Function,
                Function = new FunctionDefinition
                {
                    Name = f.Name,
                    Description = string.IsNullOrEmpty(f.Description) ? null : f.Description,
                    Parameters = f.JsonSchema.ValueKind == JsonValueKind.Object ? f.JsonSchema : FunctionDefinition.EmptyObjectSchema,
                },
            }),
            .. agent.SubAgents.Select(sub => new ToolDefinition
            {
                Type = ToolTypes.Function,
                Function = new FunctionDefinition
                {
                    Name = SubAgentFunctionName(sub),
                    Description = $"Delegates a task to the agent '{sub.Name}', which answers with its result." + (string.IsNullOrEmpty(sub.Description) ? string.Empty : " " + sub.Description),
                    Parameters = TaskParameters,
                },
            }),
        ];
    }

    /// <summary>The function name a parent's model calls <paramref name="sub"/> by: its name, cut to the characters and length tool names allow.</summary>
    public static string SubAgentFunctionName(Agent sub)
    {
        var name = new string([.. sub.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_')]);
        return name.Length == 0 ? "agent" : name.Length <= 64 ? name : name[..64];
    }

    /// <summary>The sub-agent of <paramref name="agent"/> that the model calls as <paramref name="functionName"/>, or null.</summary>
    public static Agent? SubAgentNamed(Agent agent, string functionName) =>
        agent.SubAgents.FirstOrDefault(s => SubAgentFunctionName(s) == functionName);

    /// <summary>
    /// Checks an agent and every sub-agent below it before a turn: no agent is its own sub-agent at any depth (a cycle),
    /// and with a cost limit every model in the tree has a price.
    /// </summary>
    public static void CheckTree(Agent root, AgentPrices prices)
    {
        var limited = root.Limits.MaxCostUsd is not null;
        void Visit(Agent agent, ImmutableStack<Agent> path)
        {
            if (path.Any(a => ReferenceEquals(a, agent)))
            {
                throw new ArgumentException(
                    $"Agent '{agent.Name}' is its own sub-agent ({string.Join(" -> ", path.Reverse().Append(agent).Select(a => a.Name))}); sub-agents may not form a cycle.", nameof(root));
            }

            if (limited && !prices.Has(agent.Model))
            {
                throw new InvalidOperationException(
                    $"Agent '{root.Name}' has a cost limit (Limits.MaxCostUsd) but model '{agent.Model}'{(ReferenceEquals(agent, root) ? string.Empty : $" (of sub-agent '{agent.Name}')")} has no price; add it with AddAgentHostPrices.");
            }

            foreach (var sub in agent.SubAgents)
            {
                Visit(sub, path.Push(agent));
            }
        }

        Visit(root, []);
    }

    /// <summary>Runs <paramref name="function"/> with JSON <paramref name="arguments"/>; returns its output as text, and whether it failed.</summary>
    public static async Task<(string Output, bool IsError)> InvokeAsync(AIFunction function, string arguments, IServiceProvider? services, CancellationToken cancellationToken)
    {
        AIFunctionArguments parsed;
        try
        {
            parsed = new AIFunctionArguments(JsonSerializer.Deserialize(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments, AgentJsonContext.Default.DictionaryStringObject)) { Services = services };
        }
        catch (JsonException e)
        {
            return ($"Error: the arguments are not a JSON object ({e.Message}).", true);
        }

        try
        {
            var result = await function.InvokeAsync(parsed, cancellationToken);
            return (result switch
            {
                null => string.Empty,
                string text => text,
                JsonElement { ValueKind: JsonValueKind.String } element => element.GetString()!,
                JsonElement element => element.GetRawText(),
                _ => JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions.GetTypeInfo(result.GetType())),
            }, false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // The model reads the failure as the call's result and decides what to do next, as with a denial.
            return ($"Error: {e.GetBaseException().Message}", true);
        }
    }
}

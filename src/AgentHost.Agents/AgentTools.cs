using System.Text.Json;
using AgentHost.Core.Domain;
using Microsoft.Extensions.AI;

namespace AgentHost.Agents;

/// <summary>Turns an agent's C# functions into tool definitions and runs the calls the model makes to them.</summary>
internal static class AgentTools
{
    public static IReadOnlyList<ToolDefinition> DefinitionsOf(Agent agent)
    {
        var duplicate = agent.Functions.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Agent '{agent.Name}' has two functions named '{duplicate.Key}'; tool names must be unique.", nameof(agent));
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
        ];
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

using System.Text.Json;
using AgentHost.Core.Domain;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Engine;

/// <summary>Maps a run's settings onto <see cref="ChatOptions"/> for any provider.</summary>
internal static class RunOptionsMapper
{
    public static ChatOptions ToChatOptions(ThreadRun run, RunToolSet toolSet, int? maxOutputTokens)
    {
        var tools = toolSet.Tools;
        var options = new ChatOptions
        {
            ModelId = run.Model,
            Temperature = (float?)run.Temperature,
            TopP = (float?)run.TopP,
            MaxOutputTokens = maxOutputTokens,
            ResponseFormat = ToResponseFormat(run.ResponseFormat),
            Reasoning = ToReasoning(run.ReasoningEffort, run.Profile?.ReasoningSummary),
        };

        if (tools.Count > 0 && run.ToolChoice.Type != "none")
        {
            options.Tools = [.. tools];
            options.AllowMultipleToolCalls = run.ParallelToolCalls;
            options.ToolMode = run.ToolChoice switch
            {
                { Type: "required" } => ChatToolMode.RequireAny,
                { Type: ToolTypes.Function, FunctionName: { } name } => ChatToolMode.RequireSpecific(name),
                { IsNamed: true } named => ChatToolMode.RequireSpecific(named.Type),
                _ => ChatToolMode.Auto,
            };
        }

        return options;
    }

    /// <summary>
    /// The run's reasoning effort (and, from a front door that asked for it, a summary of the reasoning) for the
    /// provider adapter: an OpenAI reasoning model gets <c>reasoning_effort</c>, Claude thinking at that effort.
    /// </summary>
    internal static ReasoningOptions? ToReasoning(string? effort, string? summary)
    {
        if (effort is null && summary is null)
        {
            return null;
        }

        return new ReasoningOptions
        {
            Effort = effort switch
            {
                null => null,
                "none" => ReasoningEffort.None,
                "minimal" or "low" => ReasoningEffort.Low,
                "medium" => ReasoningEffort.Medium,
                "high" => ReasoningEffort.High,
                _ => ReasoningEffort.ExtraHigh,
            },
            Output = summary is null ? null : ReasoningOutput.Summary,
        };
    }

    private static ChatResponseFormat? ToResponseFormat(ResponseFormat format) => format.Type switch
    {
        "json_object" => ChatResponseFormat.Json,
        "text" => ChatResponseFormat.Text,
        "json_schema" when format.JsonSchema is { } spec => ChatResponseFormat.ForJsonSchema(
            spec.TryGetProperty("schema", out var schema) ? schema : JsonDocument.Parse("{}").RootElement,
            spec.TryGetProperty("name", out var name) ? name.GetString() : null,
            spec.TryGetProperty("description", out var description) ? description.GetString() : null),
        _ => null,
    };
}

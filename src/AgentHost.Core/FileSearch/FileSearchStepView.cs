using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;

namespace AgentHost.Core.FileSearch;

/// <summary>
/// Steps as clients see them: without the engine's reasoning record, and file_search results without their chunk
/// content unless <c>include[]</c> asked for it.
/// </summary>
public static class FileSearchStepView
{
    public static bool Includes(IEnumerable<string?> include) => include.Contains(FileSearchCall.IncludeContent, StringComparer.Ordinal);

    public static RunStep ForClient(RunStep step, bool includeContent)
    {
        if (step.Reasoning is not null)
        {
            step = step with { Reasoning = null };
        }

        if (step.StepDetails.ToolCalls is not { } calls || !calls.Any(c => c.Type == ToolTypes.FileSearch && c.Details is not null))
        {
            return step;
        }

        return step with
        {
            StepDetails = step.StepDetails with
            {
                ToolCalls = [.. calls.Select(c => c.Type == ToolTypes.FileSearch && c.Details is { } payload && JsonNode.Parse(payload.GetRawText()) is JsonObject json
                    ? c with { Details = JsonSerializer.SerializeToElement(FileSearchCall.ForClient(json, includeContent), EngineJsonContext.Default.JsonObject) }
                    : c)],
            },
        };
    }
}

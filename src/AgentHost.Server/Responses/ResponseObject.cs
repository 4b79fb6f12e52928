using System.Text.Json.Nodes;
using AgentHost.Core.Domain;

namespace AgentHost.Server.Responses;

/// <summary>The <c>response</c> object, in the recorded key order: its settings as requested, and its run's status, output, usage and error.</summary>
internal static class ResponseObject
{
    private static readonly string[] SettingsBeforeOutput = ["instructions", "max_output_tokens", "max_tool_calls", "model"];

    private static readonly string[] SettingsAfterOutput =
    [
        "parallel_tool_calls", "previous_response_id", "prompt_cache_key", "prompt_cache_retention", "reasoning", "safety_identifier", "service_tier", "store", "temperature",
        "text", "tool_choice", "tools", "top_logprobs", "top_p", "truncation",
    ];

    public static JsonObject Build(string id, JsonObject settings, ThreadRun run, IReadOnlyList<JsonObject> output)
    {
        var status = Status(run.Status);
        var response = new JsonObject
        {
            ["id"] = id,
            ["object"] = "response",
            ["created_at"] = run.CreatedAt,
            ["status"] = status,
            ["background"] = settings["background"]?.DeepClone() ?? false,
            ["completed_at"] = status == "completed" ? run.CompletedAt : null,
        };
        if (settings["conversation"] is JsonObject conversation)
        {
            response["conversation"] = conversation.DeepClone();
        }

        response["error"] = status == "failed" && run.LastError is { } error ? new JsonObject { ["code"] = error.Code, ["message"] = error.Message } : null;
        response["incomplete_details"] = status == "incomplete" && run.IncompleteDetails is { } incomplete
            ? new JsonObject { ["reason"] = IncompleteReason(incomplete.Reason) }
            : null;
        foreach (var key in SettingsBeforeOutput)
        {
            response[key] = settings[key]?.DeepClone();
        }

        response["output"] = new JsonArray([.. output.Select(o => (JsonNode)o.DeepClone())]);
        foreach (var key in SettingsAfterOutput)
        {
            response[key] = settings[key]?.DeepClone();
        }

        response["usage"] = status is "queued" or "in_progress" ? null : Usage(run.Usage);
        response["user"] = settings["user"]?.DeepClone();
        response["metadata"] = settings["metadata"]?.DeepClone() ?? new JsonObject();
        if (run.Cost is { } cost)
        {
            response["cost"] = System.Text.Json.JsonSerializer.SerializeToNode(cost, Core.Json.CoreJsonContext.Default.RunCost);
        }

        return response;
    }

    /// <summary>The Responses status of a run's status.</summary>
    public static string Status(string runStatus) => runStatus switch
    {
        RunStatus.Queued => "queued",
        RunStatus.Completed => "completed",
        RunStatus.Incomplete => "incomplete",
        RunStatus.Cancelled => "cancelled",
        RunStatus.Failed or RunStatus.Expired => "failed",
        _ => "in_progress",
    };

    /// <summary>The engine's limit names in the Responses API's words.</summary>
    private static string IncompleteReason(string reason) => reason switch
    {
        "max_completion_tokens" => "max_output_tokens",
        "max_prompt_tokens" => "max_input_tokens",
        _ => reason,
    };

    public static JsonObject Usage(Usage? usage)
    {
        var input = usage?.PromptTokens ?? 0;
        var outputTokens = usage?.CompletionTokens ?? 0;
        return new JsonObject
        {
            ["input_tokens"] = input,
            ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = usage?.PromptTokenDetails.CachedTokens ?? 0, ["cache_write_tokens"] = 0 },
            ["output_tokens"] = outputTokens,
            ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = usage?.CompletionTokensDetails.ReasoningTokens ?? 0 },
            ["total_tokens"] = input + outputTokens,
        };
    }
}

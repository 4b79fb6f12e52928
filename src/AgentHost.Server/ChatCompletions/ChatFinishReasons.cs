using AgentHost.Server.AnthropicApi;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.ChatCompletions;

/// <summary><c>finish_reason</c> from M.E.AI's reason, or from an Anthropic upstream's own <c>stop_reason</c> when it is known.</summary>
internal static class ChatFinishReasons
{
    public static string From(AnthropicStop? raw, ChatFinishReason? reason, bool calledTools)
    {
        if (raw is { } stop)
        {
            return stop.Reason switch
            {
                "max_tokens" or "model_context_window_exceeded" => "length",
                "tool_use" => "tool_calls",
                "refusal" => "content_filter",
                _ => "stop",
            };
        }

        if (reason == ChatFinishReason.Length)
        {
            return "length";
        }

        if (reason == ChatFinishReason.ContentFilter)
        {
            return "content_filter";
        }

        return reason == ChatFinishReason.ToolCalls || calledTools ? "tool_calls" : "stop";
    }
}

using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// <c>stop_reason</c> and <c>stop_sequence</c>. An Anthropic upstream's own values are read from the raw response,
/// since M.E.AI folds <c>end_turn</c> and <c>stop_sequence</c> into one reason; other providers' reasons are mapped.
/// </summary>
internal readonly record struct AnthropicStop(string Reason, string? Sequence)
{
    public static AnthropicStop? FromRaw(object? raw) => raw switch
    {
        Message { StopReason: { } reason } message => new(reason.Raw(), message.StopSequence),
        RawMessageStreamEvent { Value: RawMessageDeltaEvent { Delta.StopReason: { } reason } delta } => new(reason.Raw(), delta.Delta.StopSequence),
        _ => null,
    };

    public static AnthropicStop From(ChatFinishReason? reason, bool calledTools)
    {
        if (reason == ChatFinishReason.Length)
        {
            return new("max_tokens", null);
        }

        if (reason == ChatFinishReason.ContentFilter)
        {
            return new("refusal", null);
        }

        // Some compatible servers finish a tool-calling turn with "stop"; the calls are what matters.
        return reason == ChatFinishReason.ToolCalls || calledTools ? new("tool_use", null) : new("end_turn", null);
    }
}

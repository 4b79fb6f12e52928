using AgentHost.Core.Tokens;
using Microsoft.Extensions.AI;

namespace AgentHost.Observability.Tracing;

/// <summary>
/// AgentHost's own count of a call's tokens (o200k), for budgets' worst case and for calls whose provider reported
/// no usage. Only paid for when needed: it reads every message.
/// </summary>
internal static class PromptTokenEstimate
{
    public static int Prompt(ITokenCounter tokens, IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var count = 0;
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                count += content switch
                {
                    TextContent text => tokens.CountTokens(text.Text),
                    TextReasoningContent reasoning => tokens.CountTokens(reasoning.Text),
                    FunctionResultContent result => tokens.CountTokens(result.Result?.ToString() ?? string.Empty),
                    FunctionCallContent call => Call(tokens, call),
                    _ => 0,
                };
            }

            count += 4;
        }

        foreach (var tool in options?.Tools ?? [])
        {
            count += tokens.CountTokens(tool.Name) + tokens.CountTokens(tool.Description)
                + (tool is AIFunctionDeclaration function ? tokens.CountTokens(function.JsonSchema.GetRawText()) : 0);
        }

        return count;
    }

    public static int Call(ITokenCounter tokens, FunctionCallContent call) => tokens.CountTokens(call.Name) + 8;
}

using System.Text.Json;
using AgentHost.Core.Models;
using AgentHost.Core.Tokens;
using AgentHost.Server.Compat;
using Anthropic;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// <c>count_tokens</c>: behind an Anthropic upstream the request is forwarded, so the count is Claude's own; behind
/// any other provider it is estimated with o200k (<see cref="ITokenCounter"/>), which approximates Claude's
/// tokenizer (within roughly 10–20% on English text) and the model's own tokenizer where that is o200k.
/// </summary>
internal sealed class AnthropicTokenCounting(IModelRouter router, ITokenCounter counter)
{
    // Per-message framing and per-tool overhead, as the OpenAI cookbook counts them; an image is billed by size,
    // which is not known here, so a typical mid-size image is assumed.
    private const int PerMessage = 3;
    private const int PerTool = 8;
    private const int PerImage = 1600;

    public async Task<long> CountAsync(JsonElement body, MessagesCall call, GatewayOverhead overhead, CancellationToken cancellationToken)
    {
        var client = router.GetClient(call.Model);
        if (client.GetService<IAnthropicClient>() is { } anthropic && client.GetService<ChatClientMetadata>()?.DefaultModelId is { } model)
        {
            var raw = new Dictionary<string, JsonElement>();
            foreach (var property in body.EnumerateObject())
            {
                // What a call would not carry to the model is not counted either (and may need a beta Anthropic is not sent).
                if (!AnthropicRequestReader.Dropped.Contains(property.Name, StringComparer.Ordinal))
                {
                    raw[property.Name] = property.Value;
                }
            }

            raw["model"] = JsonSerializer.SerializeToElement(model, CompatJsonContext.Default.String);
            var parameters = MessageCountTokensParams.FromRawUnchecked(new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>(), raw);
            overhead.UpstreamStarted();
            try
            {
                return (await anthropic.Messages.CountTokens(parameters, cancellationToken)).InputTokens;
            }
            catch (Exception e) when (e is Anthropic.Exceptions.AnthropicException && !cancellationToken.IsCancellationRequested)
            {
                throw new ModelCallException(Core.Domain.RunErrorCodes.ServerError, $"The anthropic model '{model}' could not count tokens: {e.Message}", e);
            }
            finally
            {
                overhead.UpstreamEnded();
            }
        }

        return Estimate(call);
    }

    private long Estimate(MessagesCall call)
    {
        long tokens = 0;
        foreach (var message in call.Messages)
        {
            tokens += PerMessage;
            foreach (var content in message.Contents)
            {
                tokens += content switch
                {
                    TextContent text => counter.CountTokens(text.Text),
                    TextReasoningContent reasoning => counter.CountTokens(reasoning.Text),
                    FunctionCallContent functionCall => counter.CountTokens(functionCall.Name) + counter.CountTokens(ToolArguments.ToJson(functionCall.Arguments)),
                    FunctionResultContent result => Result(result.Result),
                    DataContent or UriContent => PerImage,
                    _ => 0,
                };
            }
        }

        if (call.Tools is { ValueKind: JsonValueKind.Array } tools)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                tokens += PerTool + counter.CountTokens(tool.GetRawText());
            }
        }

        return tokens;
    }

    private long Result(object? result) => result switch
    {
        string text => counter.CountTokens(text),
        IEnumerable<AIContent> contents => contents.Sum(c => c is TextContent text ? counter.CountTokens(text.Text) : PerImage),
        _ => 0,
    };
}

using AgentHost.Core.Observability;
using AgentHost.Server.Compat;
using AgentHost.Tools.Mcp;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// The MCP connector's server-side tool loop: the model is called, the MCP tools it called are run, their results go
/// back to it, until it answers without one (or calls a client tool, which the client runs). The answer is one
/// message holding every turn's blocks, each MCP call as an <c>mcp_tool_use</c> block followed by its
/// <c>mcp_tool_result</c>, with the usage of every model call added up. Past <see cref="MaxModelCalls"/> calls it
/// stops with <c>pause_turn</c>, and the client continues by sending the message back. Each MCP call is a tool span in
/// the trace of the call's gateway session, and images a call returned are shown to the model after the results.
/// </summary>
internal sealed class MessagesMcpLoop(IChatClient client, MessagesCall call, MessagesMcpTools tools, McpToolbox toolbox, IRunObserver observer)
{
    public const int MaxModelCalls = 10;

    public async Task<ChatResponse> GetResponseAsync(CancellationToken cancellationToken)
    {
        var conversation = new List<ChatMessage>(call.Messages);
        var blocks = new List<AIContent>();
        var usage = new UsageDetails();
        ChatResponse? first = null;
        for (var turn = 1; ; turn++)
        {
            var response = await client.GetResponseAsync(conversation, call.Options, cancellationToken);
            first ??= response;
            if (response.Usage is { } used)
            {
                usage.Add(used);
            }

            var contents = response.Messages.SelectMany(m => m.Contents).Where(c => c is not UsageContent).ToList();
            blocks.AddRange(contents);
            var (results, images, clientCalls) = await RunMcpCallsAsync(contents, cancellationToken);
            blocks.AddRange(results);
            var pause = results.Count > 0 && clientCalls == 0 && turn >= MaxModelCalls;
            if (results.Count == 0 || clientCalls > 0 || pause)
            {
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, blocks))
                {
                    ResponseId = first.ResponseId,
                    ModelId = response.ModelId,
                    FinishReason = response.FinishReason,
                    Usage = usage,
                    RawRepresentation = pause ? null : response.RawRepresentation,
                    AdditionalProperties = pause ? new() { [PauseTurn] = true } : null,
                };
            }

            Continue(conversation, contents, results, images);
        }
    }

    public async Task StreamAsync(AnthropicStreamWriter stream, CancellationToken cancellationToken)
    {
        var conversation = new List<ChatMessage>(call.Messages);
        for (var turn = 1; ; turn++)
        {
            var updates = new List<ChatResponseUpdate>();
            await using (var enumerator = client.GetStreamingResponseAsync(conversation, call.Options, cancellationToken).GetAsyncEnumerator(cancellationToken))
            {
                // The first update of the first call is awaited before the 200, so an unreachable model gets its real status.
                var hasUpdate = await enumerator.MoveNextAsync();
                if (turn == 1)
                {
                    stream.Start(hasUpdate ? enumerator.Current : new ChatResponseUpdate());
                }

                while (hasUpdate)
                {
                    stream.Write(enumerator.Current);
                    updates.Add(enumerator.Current);
                    var next = enumerator.MoveNextAsync();
                    if (!next.IsCompleted)
                    {
                        await stream.FlushAsync(cancellationToken);
                    }

                    hasUpdate = await next;
                }
            }

            var contents = updates.ToChatResponse().Messages.SelectMany(m => m.Contents).Where(c => c is not UsageContent).ToList();
            await stream.FlushAsync(cancellationToken);
            var (results, images, clientCalls) = await RunMcpCallsAsync(contents, cancellationToken);
            foreach (var result in results)
            {
                stream.WriteMcpResult(result);
            }

            var pause = results.Count > 0 && clientCalls == 0 && turn >= MaxModelCalls;
            if (results.Count == 0 || clientCalls > 0 || pause)
            {
                await stream.EndAsync(pause ? new AnthropicStop("pause_turn", null) : null, cancellationToken);
                return;
            }

            stream.NextModelCall();
            Continue(conversation, contents, results, images);
        }
    }

    /// <summary>The key of <see cref="ChatResponse.AdditionalProperties"/> that says the loop stopped at its limit.</summary>
    public const string PauseTurn = "agenthost.pause_turn";

    /// <summary>The model's turn and the results of its MCP calls; images the calls returned follow as a user turn the model can see.</summary>
    private static void Continue(List<ChatMessage> conversation, List<AIContent> contents, List<FunctionResultContent> results, List<AIContent> images)
    {
        conversation.Add(new ChatMessage(ChatRole.Assistant, contents));
        conversation.Add(new ChatMessage(ChatRole.Tool, [.. results]));
        if (images.Count > 0)
        {
            conversation.Add(new ChatMessage(ChatRole.User, [new TextContent($"[The MCP calls above returned {images.Count} image(s), shown here.]"), .. images]));
        }
    }

    /// <summary>
    /// Runs the turn's MCP calls (in parallel, in order of the results), each traced as a tool span; counts the client's
    /// calls, which are left to the client.
    /// </summary>
    private async Task<(List<FunctionResultContent> Results, List<AIContent> Images, int ClientCalls)> RunMcpCallsAsync(List<AIContent> contents, CancellationToken cancellationToken)
    {
        var calls = contents.OfType<FunctionCallContent>().ToList();
        var mcp = calls.Where(c => tools.TryGet(c.Name, out _, out _)).ToList();
        var scope = ModelCallScope.Of(call.Options) ?? new ModelCallScope { EntryPoint = ModelCallEntryPoints.Messages };
        var results = await Task.WhenAll(mcp.Select(async c =>
        {
            tools.TryGet(c.Name, out var server, out var tool);
            var arguments = ToolArguments.ToJson(c.Arguments);
            await using var trace = observer.StartToolCall(scope, c.CallId, $"mcp:{c.Name}", arguments);
            var result = await toolbox.CallAsync(server.Server, tool.Name, arguments, cancellationToken);
            if (result.Error is not null || result.IsError)
            {
                // The span ends as an error with what the model read; the model reads it and the loop goes on.
                trace.Fail(new ToolResultError(result.Output));
            }
            else
            {
                await trace.CompleteAsync(result.Output);
            }

            return (Content: McpToolResultBlock.From(c.CallId, result), result.Images);
        }));
        return ([.. results.Select(r => r.Content)], [.. results.SelectMany(r => r.Images)], calls.Count - mcp.Count);
    }
}

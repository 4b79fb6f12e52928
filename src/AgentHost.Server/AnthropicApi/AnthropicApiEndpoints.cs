using System.Text.Json;
using AgentHost.Core.Models;
using AgentHost.Core.Observability;
using AgentHost.Server.Compat;
using AgentHost.Tools.Mcp;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// The Anthropic Messages API (<c>POST /v1/messages</c>, <c>POST /v1/messages/count_tokens</c>) in front of any routed
/// model: requests become M.E.AI messages and options, answers and stream updates become the API's JSON and events.
/// </summary>
internal static class AnthropicApiEndpoints
{
    public static IEndpointRouteBuilder MapAnthropicApiEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/messages", CreateAsync);
        app.MapPost("/v1/messages/count_tokens", CountTokensAsync);
        app.MapMessageThreadEndpoints();
        return app;
    }

    private static async Task CreateAsync(HttpContext context, IModelRouter router, McpToolbox toolbox, MessageThreads threads, IRunObserver observer, TimeProvider time)
    {
        var overhead = GatewayOverhead.Start(context, time);
        var requestId = AnthropicErrors.RequestId(context);
        var cancellationToken = context.RequestAborted;
        AnthropicStreamWriter? mcpStream = null;
        try
        {
            var body = await CompatBody.ReadAsync(context, cancellationToken);
            using var thread = await threads.BeginAsync(context, body, cancellationToken);
            var call = AnthropicRequestReader.Read(thread?.Body ?? body);
            var dropped = call.Dropped.ToList();
            var mcpServers = MessagesMcpServersReader.Read(thread?.Body ?? body, toolbox, dropped);
            var scope = GatewayScope.For(context, ModelCallEntryPoints.Messages, call.Passthrough.Metadata, thread?.Session) with { DroppedFields = dropped };
            scope.AttachTo(call.Options);
            thread?.Attach(call.Model, scope.SessionId);
            var client = router.GetClient(call.Model);
            if (mcpServers.Count > 0)
            {
                // The MCP connector: AgentHost lists the servers' tools, runs the calls and answers with every turn's blocks.
                var tools = await MessagesMcpTools.ListAsync(mcpServers, toolbox, call.Options, cancellationToken);
                var loop = new MessagesMcpLoop(client, call, tools, toolbox, observer);
                if (call.Stream)
                {
                    mcpStream = new AnthropicStreamWriter(context.Response, call.Model, requestId, tools, thread);
                    await loop.StreamAsync(mcpStream, cancellationToken);
                    return;
                }

                // On a thread, the turn is stored with its MCP blocks, which the next turn sends back to the model as calls and results.
                var answer = await loop.GetResponseAsync(cancellationToken);
                await (thread is null
                    ? AnthropicResponseWriter.WriteAsync(context.Response, answer, call.Model, cancellationToken, tools)
                    : AnthropicResponseWriter.WriteAsync(context.Response, answer, call.Model, thread, cancellationToken, tools));
                return;
            }

            if (call.Stream)
            {
                await CompatStreaming.StreamAsync(client, call, new AnthropicStreamWriter(context.Response, call.Model, requestId, thread: thread), overhead, cancellationToken);
                return;
            }

            overhead.UpstreamStarted();
            var response = await client.GetResponseAsync(call.Messages, call.Options, cancellationToken);
            overhead.UpstreamEnded();
            if (thread is null)
            {
                await AnthropicResponseWriter.WriteAsync(context.Response, response, call.Model, cancellationToken);
            }
            else
            {
                await AnthropicResponseWriter.WriteAsync(context.Response, response, call.Model, thread, cancellationToken);
            }
        }
        catch (Exception e) when (mcpStream is { Started: true } && !cancellationToken.IsCancellationRequested && CallFailure.From(e) is { } failure)
        {
            await mcpStream.FailAsync(failure, cancellationToken);
        }
        catch (Exception e) when (!context.Response.HasStarted && !cancellationToken.IsCancellationRequested && CallFailure.From(e) is { } failure)
        {
            await AnthropicErrors.WriteAsync(context, failure);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
    }

    private static async Task CountTokensAsync(HttpContext context, IModelRouter router, Core.Tokens.ITokenCounter counter, TimeProvider time)
    {
        var overhead = GatewayOverhead.Start(context, time);
        AnthropicErrors.RequestId(context);
        var cancellationToken = context.RequestAborted;
        try
        {
            var body = await CompatBody.ReadAsync(context, cancellationToken);
            var call = AnthropicRequestReader.Read(body, countTokens: true);
            var tokens = await new AnthropicTokenCounting(router, counter).CountAsync(body, call, overhead, cancellationToken);
            context.Response.ContentType = "application/json";
            using (var writer = new Utf8JsonWriter(context.Response.BodyWriter))
            {
                writer.WriteStartObject();
                writer.WriteNumber("input_tokens", tokens);
                writer.WriteEndObject();
            }

            await context.Response.BodyWriter.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (!context.Response.HasStarted && !cancellationToken.IsCancellationRequested && CallFailure.From(e) is { } failure)
        {
            await AnthropicErrors.WriteAsync(context, failure);
        }
    }
}

using AgentHost.Core.Models;
using AgentHost.Core.Observability;
using AgentHost.Providers;
using AgentHost.Server.Compat;
using AgentHost.Server.Http;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.ChatCompletions;

/// <summary>OpenAI's Chat Completions API (<c>POST /v1/chat/completions</c>) in front of any routed model.</summary>
internal static class ChatCompletionEndpoints
{
    public static IEndpointRouteBuilder MapChatCompletionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat/completions", CreateAsync);
        return app;
    }

    private static async Task CreateAsync(HttpContext context, IModelRouter router, IOptions<ProviderOptions> providers, TimeProvider time)
    {
        var overhead = GatewayOverhead.Start(context, time);
        var cancellationToken = context.RequestAborted;
        try
        {
            var body = await CompatBody.ReadAsync(context, cancellationToken);
            var call = ChatCompletionRequestReader.Read(body, providers.Value.Anthropic.DefaultMaxTokens);
            GatewayScope.For(context, ModelCallEntryPoints.ChatCompletions).AttachTo(call.Options);
            var client = router.GetClient(call.Model);
            var created = time.GetUtcNow().ToUnixTimeSeconds();
            if (call.Stream)
            {
                await CompatStreaming.StreamAsync(client, call, new ChatCompletionStreamWriter(context.Response, call.Model, created, call.IncludeUsage), overhead, cancellationToken);
                return;
            }

            overhead.UpstreamStarted();
            var response = await client.GetResponseAsync(call.Messages, call.Options, cancellationToken);
            overhead.UpstreamEnded();
            await ChatCompletionWriter.WriteAsync(context.Response, response, call.Model, response.CreatedAt?.ToUnixTimeSeconds() ?? created, cancellationToken);
        }
        catch (Exception e) when (!context.Response.HasStarted && !cancellationToken.IsCancellationRequested && CallFailure.From(e) is { } failure)
        {
            if (failure.RateLimit is { } limit)
            {
                RateLimitHeaders.WriteOpenAI(context.Response, limit, time.GetUtcNow());
            }

            await ChatCompletionErrors.From(e, failure).ExecuteAsync(context);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
    }
}

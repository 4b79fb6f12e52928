using AgentHost.Server.AnthropicApi;
using AgentHost.Server.Assistants;
using AgentHost.Server.ChatCompletions;
using AgentHost.Server.Conversations;
using AgentHost.Server.Http;
using AgentHost.Server.Http.Safety;
using AgentHost.Server.ManagedAgents;
using AgentHost.Server.Mcp;
using AgentHost.Server.Messages;
using AgentHost.Server.Models;
using AgentHost.Server.Observability;
using AgentHost.Server.Tenancy;
using AgentHost.Server.Responses;
using AgentHost.Server.Runs;
using AgentHost.Server.Threads;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Hosting;

/// <summary>The HTTP pipeline: errors in the OpenAI envelope, Host/Origin/Content-Type checks, API key check, the API's routes.</summary>
public static class AgentHostEndpoints
{
    public static WebApplication MapAgentHost(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ApiErrors.HandleAsync, SuppressDiagnosticsCallback = _ => true });
        app.UseStatusCodePages(context => context.HttpContext.Response.StatusCode == StatusCodes.Status405MethodNotAllowed
            ? ApiErrors.UnknownRoute(context.HttpContext).ExecuteAsync(context.HttpContext)
            : Task.CompletedTask);
        app.UseHttpSafety();
        app.UseApiKey(app.Services.GetRequiredService<IOptions<HttpSafetyOptions>>().Value.PublicMetrics);

        app.MapHealthEndpoints();
        app.MapProjectEndpoints();
        app.MapAssistantEndpoints();
        app.MapThreadEndpoints();
        app.MapMessageEndpoints();
        app.MapRunEndpoints();
        app.MapFileSearchEndpoints();
        app.MapContainerEndpoints();
        app.MapAnthropicApiEndpoints();
        app.MapChatCompletionEndpoints();
        app.MapResponseEndpoints();
        app.MapConversationEndpoints();
        app.MapManagedAgentsEndpoints();
        app.MapModelEndpoints();
        app.MapAgentHostObservability();
        app.MapMcpEndpoint();
        app.MapFallback(ApiErrors.UnknownRoute);
        return app;
    }
}

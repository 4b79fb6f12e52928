using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;

namespace AgentHost.Server.Mcp;

/// <summary>AgentHost as an MCP server: streamable HTTP at <c>/mcp</c>, behind the same API key as <c>/v1</c> (docs/mcp.md).</summary>
internal static class McpEndpointHosting
{
    public const string Path = "/mcp";

    public static IServiceCollection AddMcpEndpoint(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<McpEndpointOptions>().Bind(configuration.GetSection(McpEndpointOptions.SectionName));
        services.AddSingleton<McpSandboxSessions>();
        services.AddSingleton<FileSearchMcpTool>();
        services.AddSingleton<CodeInterpreterMcpTool>();
        services.AddSingleton<AssistantMcpTool>();
        services.AddSingleton<McpEndpointTools>();
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "agenthost", Version = typeof(McpEndpointHosting).Assembly.GetName().Version?.ToString() ?? "1.0.0" };
                options.ServerInstructions = "AgentHost: search its vector stores (file_search), run Python in a sandbox (code_interpreter), or ask one of its assistants (tools named asst_…).";
            })
            .WithHttpTransport(options =>
            {
                // Clients using the initialize handshake get a session (and so one sandbox session); 2026-07-28 clients are served per request.
                options.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
#pragma warning disable MCPEXP002 // Experimental, but the only hook that sees an MCP session end, when its sandbox session must stop.
                options.RunSessionHandler = RunSessionAsync;
#pragma warning restore MCPEXP002
            })
            .WithListToolsHandler((request, cancellationToken) => Tools(request.Services).ListAsync(request, cancellationToken))
            .WithCallToolHandler((request, cancellationToken) => Tools(request.Services).CallAsync(request, cancellationToken));
        return services;
    }

    public static WebApplication MapMcpEndpoint(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<McpEndpointOptions>>().Value.Enabled)
        {
            app.MapMcp(Path);
        }

        return app;
    }

    private static McpEndpointTools Tools(IServiceProvider? services) =>
        (services ?? throw new InvalidOperationException("The MCP request carries no services.")).GetRequiredService<McpEndpointTools>();

    /// <summary>Runs a session and, when it ends (deleted by the client, idle, or the server stopping), stops its sandbox session.</summary>
    private static async Task RunSessionAsync(HttpContext http, ModelContextProtocol.Server.McpServer server, CancellationToken cancellationToken)
    {
        // Taken now: the request that started the session, and its services, are gone when the session ends.
        var sandboxes = http.RequestServices.GetRequiredService<McpSandboxSessions>();
        try
        {
            await server.RunAsync(cancellationToken);
        }
        finally
        {
            if (server.SessionId is { } sessionId)
            {
                await sandboxes.EndAsync(sessionId);
            }
        }
    }
}

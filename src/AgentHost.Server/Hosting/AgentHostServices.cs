using AgentHost.Agents;
using AgentHost.Core.Engine;
using AgentHost.Core.Tokens;
using AgentHost.Core.Tools;
using AgentHost.Retrieval;
using AgentHost.Server.AnthropicApi;
using AgentHost.Server.Http.Safety;
using AgentHost.Server.Mcp;
using AgentHost.Server.Observability;
using AgentHost.Server.Tenancy;
using AgentHost.Storage.Sqlite;
using AgentHost.Tools.Mcp;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Hosting;

/// <summary>Registers the engine, the store, the providers and the worker.</summary>
public static class AgentHostServices
{
    public static IServiceCollection AddAgentHost(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AgentHostOptions>().Configure(options =>
        {
            configuration.GetSection(AgentHostOptions.SectionName).Bind(options);
            options.DataDir = configuration["AGENTHOST_DATA_DIR"] is { Length: > 0 } dir ? dir : options.DataDir;
            options.ApiKey = configuration["AGENTHOST_API_KEY"] is { Length: > 0 } key ? key : options.ApiKey;
        });
        services.AddProjects();
        services.AddHttpSafety(configuration);
        services.AddOptions<RunEngineOptions>().Bind(configuration.GetSection("AgentHost:Runs"));
        services.TryAddSingleton(TimeProvider.System);
        services.AddAgentHostProviders(configuration);

        services.AddStorage(configuration);
        services.AddRetrieval(configuration);

        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RunEngineOptions>>().Value);
        services.AddAgentHostEngine();
        services.AddHostedService<RunWorker>();
        services.AddFileSearch(configuration);
        services.AddCodeInterpreter(configuration);
        services.AddSubAssistants(configuration);
        services.AddContainers(configuration);
        services.AddAgentToolset(configuration);
        services.AddMcpTools(configuration, sp => Path.Combine(sp.GetRequiredService<IOptions<AgentHostOptions>>().Value.DataDir, "mcp"));
        services.AddObservabilityHosting(configuration);
        services.AddMcpEndpoint(configuration);
        services.AddResponses();
        services.AddManagedAgents(configuration);
        services.AddAnthropicApi();
        return services;
    }
}

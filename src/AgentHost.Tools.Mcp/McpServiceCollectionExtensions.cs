using AgentHost.Core.Files;
using AgentHost.Core.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentHost.Tools.Mcp;

public static class McpServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>mcp</c> tool source and the servers of <c>AgentHost:Mcp</c>. Needs an <c>IModelRouter</c> (for
    /// sampling) and an <c>IFileStore</c> (for images) in the container; <paramref name="defaultWorkRoot"/> is where
    /// stdio servers get their homes unless <c>AgentHost:Mcp:WorkRoot</c> says otherwise.
    /// </summary>
    public static IServiceCollection AddMcpTools(this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, string> defaultWorkRoot)
    {
        services.AddOptions<McpOptions>().Configure(options => configuration.GetSection(McpOptions.SectionName).Bind(options)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<McpOptions>, McpOptionsValidator>();
        services.AddSingleton<IPostConfigureOptions<McpOptions>>(sp => new PostConfigureOptions<McpOptions>(Options.DefaultName, options =>
            options.WorkRoot ??= defaultWorkRoot(sp)));
        services.AddSingleton<McpClientSetup>();
        services.AddSingleton<McpServers>();
        services.AddSingleton(sp => new McpResultMapper(sp.GetRequiredService<IFileStore>(), sp.GetRequiredService<IOptions<McpOptions>>().Value));
        services.AddSingleton<McpToolSource>();
        services.AddSingleton(sp => new McpToolbox(sp.GetRequiredService<McpServers>(), sp.GetRequiredService<McpResultMapper>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<McpToolbox>>()));
        services.AddSingleton<IToolSource>(sp => sp.GetRequiredService<McpToolSource>());
        return services;
    }
}

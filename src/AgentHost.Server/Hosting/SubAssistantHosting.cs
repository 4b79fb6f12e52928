using AgentHost.Core.Tools;
using AgentHost.Core.Tools.SubAssistants;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Hosting;

/// <summary>The <c>assistant</c> tool: assistants as tools of other assistants (docs/sub-assistants.md).</summary>
public static class SubAssistantHosting
{
    public static IServiceCollection AddSubAssistants(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SubAssistantOptions>().Bind(configuration.GetSection(SubAssistantOptions.SectionName));
        services.AddSingleton(sp => new SubAssistantTool(sp, sp.GetRequiredService<IOptions<SubAssistantOptions>>().Value));
        services.AddSingleton<IToolSource>(sp => sp.GetRequiredService<SubAssistantTool>());
        return services;
    }
}

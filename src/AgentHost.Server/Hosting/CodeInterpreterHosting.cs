using AgentHost.Core.Sandbox;
using AgentHost.Core.Tools;
using AgentHost.Core.Tools.CodeInterpreter;
using AgentHost.Sandbox;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Hosting;

/// <summary>The code sandbox (bubblewrap), per-thread Python sessions and the <c>code_interpreter</c> tool.</summary>
public static class CodeInterpreterHosting
{
    public static IServiceCollection AddCodeInterpreter(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SandboxOptions>().Bind(configuration.GetSection(SandboxOptions.SectionName));
        services.AddOptions<CodeInterpreterOptions>().Bind(configuration.GetSection(CodeInterpreterOptions.SectionName));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SandboxOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<CodeInterpreterOptions>>().Value);
        services.AddSingleton<BubblewrapSandbox>();
        services.AddSingleton<ICodeSandbox>(sp => sp.GetRequiredService<BubblewrapSandbox>());
        services.AddSingleton<CodeInterpreterSessions>();
        services.AddSingleton<ContainerCodeInterpreter>();
        services.AddSingleton<CodeInterpreterTool>();
        services.AddSingleton<IToolSource>(sp => sp.GetRequiredService<CodeInterpreterTool>());
        return services;
    }
}

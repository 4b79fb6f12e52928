using AgentHost.Core.Engine;
using AgentHost.Server.Responses;

namespace AgentHost.Server.Hosting;

/// <summary>The Responses API and Conversations: the history their runs read, and the services behind the routes.</summary>
public static class ResponsesHosting
{
    public static IServiceCollection AddResponses(this IServiceCollection services)
    {
        services.AddSingleton<ReasoningSeal>();
        services.AddSingleton<ResponseRecords>();
        services.AddSingleton<ResponseWaiters>();
        services.AddSingleton<ResponseMcpListing>();
        services.AddSingleton<ResponseEventRecorder>();
        services.AddSingleton<ResponseContainers>();
        services.AddSingleton<ResponseFiles>();
        services.AddSingleton<ResponseTokenCounting>();
        services.AddSingleton<ResponseService>();
        services.AddSingleton<IRunHistory, ResponseHistory>();
        return services;
    }
}

using AgentHost.Core.Engine;
using AgentHost.Core.Storage;
using AgentHost.Server.Responses;
using AgentHost.Storage.Sqlite;

namespace AgentHost.Server.Hosting;

/// <summary>The Responses API and Conversations: their store, the history their runs read, and the services behind the routes.</summary>
public static class ResponsesHosting
{
    public static IServiceCollection AddResponses(this IServiceCollection services)
    {
        services.AddSingleton<IResponseStore, SqliteResponseStore>();
        services.AddSingleton<IConversationStore, SqliteConversationStore>();
        services.AddSingleton<ResponseRecords>();
        services.AddSingleton<ResponseWaiters>();
        services.AddSingleton<ResponseEventRecorder>();
        services.AddSingleton<ResponseContainers>();
        services.AddSingleton<ResponseFiles>();
        services.AddSingleton<ResponseTokenCounting>();
        services.AddSingleton<ResponseService>();
        services.AddSingleton<IRunHistory, ResponseHistory>();
        return services;
    }
}

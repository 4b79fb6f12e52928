using AgentHost.Core.Conversations;
using AgentHost.Storage.Sqlite;

namespace AgentHost.Server.AnthropicApi;

/// <summary>Registers what the Messages API keeps between requests: its threads, on the server's SQLite database.</summary>
internal static class AnthropicApiServices
{
    public static IServiceCollection AddAnthropicApi(this IServiceCollection services)
    {
        services.AddSingleton<IMessageThreadStore>(sp => new SqliteMessageThreadStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<MessageThreads>();
        return services;
    }
}

using AgentHost.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Hosting;

/// <summary>Chooses the store: PostgreSQL when <c>ConnectionStrings:Postgres</c> is set, else SQLite in the data directory.</summary>
public static class StorageHosting
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        static string DataDir(IServiceProvider sp) => sp.GetRequiredService<IOptions<AgentHostOptions>>().Value.DataDir;
        return services.AddSqliteStorage(DataDir);
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary>Migrates the schema as the host starts, so a node that cannot reach PostgreSQL fails at start saying why, not at its first request.</summary>
internal sealed partial class PostgresMigrator(PostgresDatabase database, IOptions<PostgresStorageOptions> options, ILogger<PostgresMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await database.MigrateAsync().WaitAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            var builder = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString);
            throw new InvalidOperationException(
                $"Cannot migrate the PostgreSQL database '{builder.Database}' on {builder.Host}:{builder.Port} as '{builder.Username}': {e.Message}. " +
                "Check that the server is running and reachable and that ConnectionStrings:Postgres names a database this user may create tables in.", e);
        }

        LogMigrated(logger, PostgresSchema.LatestVersion);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "PostgreSQL schema at version {Version}")]
    private static partial void LogMigrated(ILogger logger, int version);
}

using Microsoft.Extensions.Logging;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// One PostgreSQL database through a pooled <see cref="NpgsqlDataSource"/>. The schema is migrated before first use
/// (under an advisory lock, so nodes starting together migrate once); an operation that fails transiently (connection
/// lost, server restarting, serialization failure, deadlock) is retried whole, a write in a fresh transaction.
/// </summary>
public sealed partial class PostgresDatabase : IAsyncDisposable
{
    private const int MaxAttempts = 6;
    private readonly NpgsqlDataSource dataSource;
    private readonly NpgsqlDataSource leaseSource;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Lock migrationLock = new();
    private Task? migration;

    public PostgresDatabase(string connectionString, TimeProvider time, ILogger<PostgresDatabase> logger)
    {
        dataSource = new NpgsqlDataSourceBuilder(connectionString) { Name = "agenthost" }.Build();
        // The sweep's lease renewals get connections of their own: when runs hold every pooled connection (e.g. queued
        // behind a hot row), a renewal waiting for one would let the leases lapse and other nodes run the runs again.
        var leases = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 2, MinPoolSize = 0 };
        leaseSource = new NpgsqlDataSourceBuilder(leases.ConnectionString) { Name = "agenthost-leases" }.Build();
        this.time = time;
        this.logger = logger;
    }

    /// <summary>The pool, for what needs a connection of its own (e.g. <c>LISTEN</c>).</summary>
    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>Applies the migrations not yet applied; a failed attempt is retried by the next call.</summary>
    public Task MigrateAsync()
    {
        lock (migrationLock)
        {
            if (migration is null || migration.IsFaulted || migration.IsCanceled)
            {
                migration = WithRetryAsync(async ct =>
                {
                    await using var connection = await dataSource.OpenConnectionAsync(ct);
                    await PostgresSchema.MigrateAsync(connection, ct);
                    return true;
                }, CancellationToken.None);
            }

            return migration;
        }
    }

    /// <summary>An open connection on the migrated schema; the caller disposes it. Not retried: for reads that stream.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync().WaitAsync(cancellationToken);
        return await WithRetryAsync(ct => dataSource.OpenConnectionAsync(ct).AsTask(), cancellationToken);
    }

    public Task<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken,
        PostgresPool pool = PostgresPool.Default) =>
        WithRetryAsync(async ct =>
        {
            await MigrateAsync().WaitAsync(ct);
            await using var connection = await Source(pool).OpenConnectionAsync(ct);
            return await work(connection, ct);
        }, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one transaction, committed when it returns.</summary>
    public Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken,
        PostgresPool pool = PostgresPool.Default) =>
        WithRetryAsync(async ct =>
        {
            await MigrateAsync().WaitAsync(ct);
            await using var connection = await Source(pool).OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var result = await work(connection, transaction, ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);

    public Task WriteAsync(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task> work, CancellationToken cancellationToken,
        PostgresPool pool = PostgresPool.Default) =>
        WriteAsync<bool>(async (c, t, ct) =>
        {
            await work(c, t, ct);
            return true;
        }, cancellationToken, pool);

    /// <summary>
    /// Runs <paramref name="fill"/>'s statements as one batch: one round trip, one implicit transaction, so the rows it
    /// locks are held only while the server executes it (for hot rows every call updates, such as usage totals).
    /// </summary>
    public Task BatchAsync(Action<NpgsqlBatch> fill, CancellationToken cancellationToken) =>
        WithRetryAsync(async ct =>
        {
            await MigrateAsync().WaitAsync(ct);
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var batch = connection.CreateBatch();
            fill(batch);
            await batch.ExecuteNonQueryAsync(ct);
            return true;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await leaseSource.DisposeAsync();
        await dataSource.DisposeAsync();
    }

    private NpgsqlDataSource Source(PostgresPool pool) => pool == PostgresPool.Leases ? leaseSource : dataSource;

    private async Task<T> WithRetryAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work(cancellationToken);
            }
            catch (NpgsqlException e) when (e.IsTransient && attempt < MaxAttempts && !cancellationToken.IsCancellationRequested)
            {
                var delay = TimeSpan.FromMilliseconds(50 * Math.Pow(2, attempt - 1));
                LogRetry(logger, attempt, delay.TotalMilliseconds, e.Message);
                if (e is not PostgresException)
                {
                    // A lost connection poisons the pooled ones opened before it; start the next attempt on new ones.
                    dataSource.Clear();
                    leaseSource.Clear();
                }

                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "PostgreSQL operation failed transiently (attempt {Attempt}); retrying in {DelayMs} ms: {Reason}")]
    private static partial void LogRetry(ILogger logger, int attempt, double delayMs, string reason);
}

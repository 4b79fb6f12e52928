using AgentHost.Core.Files;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// One SQLite file in WAL mode. SQLite allows one writer at a time, so writes queue on a lock in-process instead
/// of spinning on SQLITE_BUSY; reads use pooled connections and never wait for writes.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly string connectionString;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly SqliteConnection writer;

    public SqliteDatabase(string path)
    {
        PrivateStorage.DataDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);

        // SQLite gives its -wal and -shm files the database file's mode.
        PrivateStorage.FileOf(path);
        connectionString = new SqliteConnectionStringBuilder { DataSource = path, Cache = SqliteCacheMode.Private, Pooling = true }.ToString();
        writer = new SqliteConnection(connectionString);
        writer.Open();
        Execute(writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
        SqliteSchema.Migrate(writer);
    }

    public async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> alone on the write connection, inside one transaction.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            using var transaction = writer.BeginTransaction();
            var result = work(writer, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            writeLock.Release();
        }
    }

    public Task WriteAsync(Action<SqliteConnection, SqliteTransaction> work, CancellationToken cancellationToken) =>
        WriteAsync<bool>((c, t) => { work(c, t); return true; }, cancellationToken);

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Closes the write connection once the write in flight (if any) has finished; later writes throw.</summary>
    public void Dispose()
    {
        var acquired = writeLock.Wait(TimeSpan.FromSeconds(10));
        writer.Dispose();
        if (acquired)
        {
            writeLock.Release();
        }
    }
}

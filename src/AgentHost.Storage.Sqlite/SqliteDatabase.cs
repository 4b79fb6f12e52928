using System.Collections.Concurrent;
using AgentHost.Core.Domain;
using AgentHost.Core.Files;
using AgentHost.Core.Json;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// One SQLite file in WAL mode. SQLite allows one writer at a time, so writes queue in-process instead of spinning on
/// SQLITE_BUSY, and the writer commits whatever has queued meanwhile in one transaction (group commit): each write in its
/// own savepoint, so one that throws is rolled back alone, and no caller hears of its write before the commit that holds
/// it. Reads use pooled connections and never wait for writes. The WAL is copied back into the database file beside the
/// writer (<see cref="SqliteCheckpointer"/>), not inside its commits.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    /// <summary>Most writes one transaction holds, so a long queue still commits (and answers) in steady steps.</summary>
    private const int MaxWritesPerCommit = 64;

    private readonly string connectionString;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly ConcurrentQueue<PendingWrite> pending = new();
    private readonly List<PendingWrite> batch = new(MaxWritesPerCommit);
    private readonly SqliteConnection writer;
    private readonly SqliteCheckpointer checkpointer;

    /// <summary>Assistants by id, read by every run's model calls (budgets) and kept until written.</summary>
    internal SqliteRowCache Assistants { get; } = new(capacity: 10_000);

    /// <summary>Runs' spend as the usage ledger last wrote it, read at each of a run's status changes.</summary>
    internal SqliteRunTotals RunTotals { get; } = new(capacity: 10_000);

    /// <summary>
    /// Messages as last parsed, reused while their JSON is unchanged: each run of a long thread reads its newest again.
    /// Four million characters of JSON (8 MB, about as much again parsed) hold some 200 threads' windows of short messages.
    /// </summary>
    internal SqliteParsedRows<ThreadMessage> Messages { get; } = new(maxChars: 4_000_000, CoreJsonContext.Default.ThreadMessage);

    public SqliteDatabase(string path, TimeProvider? time = null)
    {
        PrivateStorage.DataDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);

        // SQLite gives its -wal and -shm files the database file's mode.
        PrivateStorage.FileOf(path);
        connectionString = new SqliteConnectionStringBuilder { DataSource = path, Cache = SqliteCacheMode.Private, Pooling = true }.ToString();
        writer = new SqliteConnection(connectionString);
        writer.Open();
        Execute(writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
        SqliteSchema.Migrate(writer);
        SqliteStatementCache.Attach(writer);
        Execute(writer, $"PRAGMA wal_autocheckpoint={SqliteCheckpointer.WriterCheckpointPages};");
        checkpointer = new SqliteCheckpointer(connectionString, time ?? TimeProvider.System);
    }

    public async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the write connection inside a transaction, alone or with other queued writes, and
    /// returns once that transaction has committed. A write that throws leaves nothing behind and throws here.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var write = new PendingWrite((c, t) => work(c, t));
        pending.Enqueue(write);
        if (writeLock.Wait(0))
        {
            // Nobody is writing: this caller commits what is queued, then hands any newer writes to the thread pool.
            CommitQueued();
            HandOffOrRelease();
        }

        if (!write.Task.IsCompleted && cancellationToken.CanBeCanceled)
        {
            using var registration = cancellationToken.Register(static (w, t) => ((PendingWrite)w!).Cancel(t), write);
            return (T)(await write.Task)!;
        }

        return (T)(await write.Task)!;
    }

    public Task WriteAsync(Action<SqliteConnection, SqliteTransaction> work, CancellationToken cancellationToken) =>
        WriteAsync<bool>((c, t) => { work(c, t); return true; }, cancellationToken);

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>With the lock held: writes queued meanwhile go on on a pool thread, which keeps the lock; else it is released.</summary>
    private void HandOffOrRelease()
    {
        while (true)
        {
            if (!pending.IsEmpty)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static database => database.CommitOnPool(), this, preferLocal: false);
                return;
            }

            writeLock.Release();

            // A write queued after the check above found the lock taken and left its commit to us.
            if (pending.IsEmpty || !writeLock.Wait(0))
            {
                return;
            }
        }
    }

    private void CommitOnPool()
    {
        CommitQueued();
        HandOffOrRelease();
    }

    /// <summary>With the lock held: claims up to <see cref="MaxWritesPerCommit"/> queued writes and commits them together.</summary>
    private void CommitQueued()
    {
        batch.Clear();
        while (batch.Count < MaxWritesPerCommit && pending.TryDequeue(out var write))
        {
            if (write.TryClaim())
            {
                batch.Add(write);
            }
        }

        for (var next = 0; next < batch.Count;)
        {
            next = CommitFrom(next);
        }

        checkpointer.FinishOnWriter(writer);
    }

    /// <summary>
    /// Runs the batch's writes from <paramref name="first"/> in one transaction and commits them. A write that throws is
    /// rolled back to its savepoint, unless it is alone or SQLite ended the transaction itself (I/O error, disk full):
    /// then the writes run so far are lost and the rest go in the next transaction. A failing connection loses the
    /// whole batch. Returns where the next transaction starts.
    /// </summary>
    private int CommitFrom(int first)
    {
        var alone = batch.Count - first == 1;
        var next = first;
        try
        {
            using var transaction = writer.BeginTransaction();
            while (next < batch.Count)
            {
                var write = batch[next++];
                if (alone)
                {
                    write.Run(writer, transaction);
                }
                else
                {
                    writer.Command("SAVEPOINT w", transaction).Run();
                    write.Run(writer, transaction);
                }

                if (!write.Failed)
                {
                    if (!alone)
                    {
                        writer.Command("RELEASE w", transaction).Run();
                    }
                }
                else if (alone || SQLitePCL.raw.sqlite3_get_autocommit(writer.Handle) != 0)
                {
                    Lose(first, next, new TransactionLostException());
                    return next;
                }
                else
                {
                    writer.Command("ROLLBACK TO w", transaction).Run();
                    writer.Command("RELEASE w", transaction).Run();
                }
            }

            transaction.Commit();
        }
        catch (Exception exception)
        {
            // The connection failed (begin, savepoint or commit): no write of this batch is stored.
            Lose(first, batch.Count, exception);
            return batch.Count;
        }

        checkpointer.Committed();
        for (var i = first; i < next; i++)
        {
            batch[i].Committed();
        }

        return next;
    }

    private void Lose(int first, int end, Exception exception)
    {
        for (var i = first; i < end; i++)
        {
            batch[i].Lost(exception);
        }
    }

    /// <summary>Closes the write connection once the write in flight (if any) has finished; later writes throw.</summary>
    public void Dispose()
    {
        var acquired = writeLock.Wait(TimeSpan.FromSeconds(10));
        checkpointer.Dispose();
        SqliteStatementCache.Close(writer);
        writer.Dispose();
        while (pending.TryDequeue(out var write))
        {
            if (write.TryClaim())
            {
                write.Lost(new ObjectDisposedException(nameof(SqliteDatabase)));
            }
        }

        if (acquired)
        {
            writeLock.Release();
        }
    }

    /// <summary>A write that ran before another broke the transaction; it was rolled back with it.</summary>
    private sealed class TransactionLostException() : Exception("The transaction holding this write was rolled back by a later write's failure; nothing of it was stored.");
}

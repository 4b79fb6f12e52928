using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// Copies the WAL back into the database file on its own connection, beside the writer. Left to SQLite, that copy (a
/// checkpoint: the pages, then two fsyncs) runs inside the commit that takes the WAL past 1,000 pages, and every write
/// queued behind it waits. Here the writer only marks that it committed; a PASSIVE checkpoint follows, paced to about
/// <see cref="PagesPerCheckpoint"/> new WAL pages (between <see cref="MinPause"/> and <see cref="MaxPause"/> apart).
/// A checkpoint beside a busy writer rarely finds the whole WAL copied, and only then can a write start the WAL over. So
/// once the WAL holds <see cref="RestartPages"/>, the writer is asked to copy what is left between two of its commits
/// (<see cref="FinishOnWriter"/>): a few pages, after which its next write starts the WAL over. SQLite's own checkpoint
/// stays on the writer at <see cref="WriterCheckpointPages"/> in case that never happens (readers holding the WAL).
/// </summary>
internal sealed class SqliteCheckpointer : IDisposable
{
    public const int PagesPerCheckpoint = 1_000;

    /// <summary>WAL pages (about 16 MB) after which the writer finishes a checkpoint so the WAL starts over.</summary>
    public const int RestartPages = 4_000;

    /// <summary>WAL pages at which the writer checkpoints itself (SQLite's <c>wal_autocheckpoint</c>): about 40 MB.</summary>
    public const int WriterCheckpointPages = 10_000;

    public static readonly TimeSpan MinPause = TimeSpan.FromMilliseconds(20);

    public static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(1);

    private const int SqliteCheckpointPassive = 0;

    private readonly SqliteConnection connection;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim written = new(0, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly Thread loop;
    private int dirty;
    private int finishRequested;
    private int disposed;

    public SqliteCheckpointer(string connectionString, TimeProvider time)
    {
        this.time = time;
        connection = new SqliteConnection(connectionString);
        connection.Open();

        // A connection learns the file is in WAL mode on its first read; until then a checkpoint does nothing.
        SqliteDatabase.Execute(connection, "SELECT count(*) FROM sqlite_schema");

        // A thread of its own: a checkpoint blocks in SQLite for milliseconds, which on a pool thread is one of the
        // pool's few (two on two cores) taken from request work.
        loop = new Thread(Run) { IsBackground = true, Name = "SQLite checkpointer" };
        loop.Start();
    }

    /// <summary>The writer committed: a checkpoint follows within <see cref="MaxPause"/>. Costs the writer one exchange.</summary>
    public void Committed()
    {
        if (Interlocked.Exchange(ref dirty, 1) == 0)
        {
            written.Release();
        }
    }

    /// <summary>
    /// With the write lock held and no transaction open: when asked to, copies the WAL's last pages on the writer's own
    /// connection, so that its next write starts the WAL over. Failures are left to the next request.
    /// </summary>
    public void FinishOnWriter(SqliteConnection writer)
    {
        if (Volatile.Read(ref finishRequested) == 1 && Interlocked.Exchange(ref finishRequested, 0) == 1)
        {
            SQLitePCL.raw.sqlite3_wal_checkpoint_v2(writer.Handle, "main", SqliteCheckpointPassive, out _, out _);
        }
    }

    private void Run()
    {
        var (previousLog, previousAt) = (0, time.GetTimestamp());
        try
        {
            while (true)
            {
                written.Wait(stopping.Token);
                Volatile.Write(ref dirty, 0);
                var rc = SQLitePCL.raw.sqlite3_wal_checkpoint_v2(connection.Handle, "main", SqliteCheckpointPassive, out var log, out _);
                var now = time.GetTimestamp();
                if (rc != SQLitePCL.raw.SQLITE_OK)
                {
                    // Busy (the writer is checkpointing) or failing: the next commit asks again, and the writer's own
                    // checkpoint still bounds the WAL.
                    Pause(MaxPause);
                    continue;
                }

                if (log >= RestartPages)
                {
                    Volatile.Write(ref finishRequested, 1);
                }

                // A WAL that started over since the last checkpoint holds only pages written since.
                var appended = log >= previousLog ? log - previousLog : log;
                var pagesPerSecond = appended / Math.Max(time.GetElapsedTime(previousAt, now).TotalSeconds, 0.001);
                (previousLog, previousAt) = (log, now);
                Pause(PauseAt(pagesPerSecond));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (Exception)
        {
            // The connection failed: the writer's own checkpoint (WriterCheckpointPages) keeps the WAL bounded.
        }
    }

    /// <summary>Waits <paramref name="pause"/>, or until disposed (then the loop's next wait throws).</summary>
    private void Pause(TimeSpan pause) =>
        Task.Delay(pause, time, stopping.Token).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Wait();

    private static TimeSpan PauseAt(double pagesPerSecond) => pagesPerSecond <= 0
        ? MaxPause
        : TimeSpan.FromSeconds(Math.Clamp(PagesPerCheckpoint / pagesPerSecond, MinPause.TotalSeconds, MaxPause.TotalSeconds));

    /// <summary>Stops after the checkpoint in progress, if any, and closes the connection.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        stopping.Cancel();
        loop.Join(TimeSpan.FromSeconds(10));

        // The semaphore stays undisposed: a commit that raced this still signals it harmlessly.
        connection.Dispose();
        stopping.Dispose();
    }
}

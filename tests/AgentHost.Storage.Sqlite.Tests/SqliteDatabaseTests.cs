using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite.Tests;

/// <summary>Group commit: writes queued behind a running one commit together, each alone in its outcome.</summary>
public sealed class SqliteDatabaseTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly AsyncLocal<string> Caller = new();
    private readonly string directory = Directory.CreateTempSubdirectory("agenthost-db-").FullName;
    private readonly SqliteDatabase database;

    public SqliteDatabaseTests()
    {
        database = new SqliteDatabase(Path.Combine(directory, "agenthost.db"));
        database.WriteAsync((c, t) => c.Command("CREATE TABLE notes (seq INTEGER PRIMARY KEY, text TEXT NOT NULL)", t).Run(), CancellationToken.None).Wait();
    }

    [Fact]
    public async Task WritesQueuedBehindARunningOne_CommitInOrder_AndOneThatThrows_LeavesNothing()
    {
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var running = Task.Run(() => database.WriteAsync((c, t) => { Insert(c, t, "first"); started.Set(); release.Wait(Deadline); }, CancellationToken.None));
        Assert.True(started.Wait(Deadline));

        var queued = Enumerable.Range(0, 10).Select(i => database.WriteAsync((c, t) =>
        {
            Insert(c, t, $"note {i}");
            if (i == 4)
            {
                throw new InvalidOperationException("refused");
            }

            return i;
        }, CancellationToken.None)).ToList();
        release.Set();
        await running.WaitAsync(Deadline);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => queued[4].WaitAsync(Deadline));
        Assert.Equal("refused", refused.Message);
        foreach (var i in new[] { 0, 1, 2, 3, 5, 6, 7, 8, 9 })
        {
            Assert.Equal(i, await queued[i].WaitAsync(Deadline));
        }

        Assert.Equal(["first", "note 0", "note 1", "note 2", "note 3", "note 5", "note 6", "note 7", "note 8", "note 9"], Notes());
    }

    [Fact]
    public async Task AWriteCommittedByAnotherCallersThread_SeesItsOwnCallersAsyncLocals()
    {
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var running = Task.Run(() =>
        {
            Caller.Value = "leader";
            return database.WriteAsync((c, t) => { Insert(c, t, Caller.Value!); started.Set(); release.Wait(Deadline); }, CancellationToken.None);
        });
        Assert.True(started.Wait(Deadline));

        var enqueued = 0;
        var queued = Enumerable.Range(0, 3).Select(i => Task.Run(() =>
        {
            Caller.Value = $"caller {i}";
            var write = database.WriteAsync((c, t) => Insert(c, t, Caller.Value!), CancellationToken.None);
            Interlocked.Increment(ref enqueued); // the write lock is held, so the write is queued, not done
            return write;
        })).ToList();
        await WaitUntilAsync(() => Volatile.Read(ref enqueued) == 3);
        release.Set();
        await Task.WhenAll([running, .. queued]).WaitAsync(Deadline);

        Assert.Equal(["caller 0", "caller 1", "caller 2", "leader"], Notes().Order());
    }

    [Fact]
    public async Task AWriteWhoseCallerGivesUpWhileQueued_NeverRuns()
    {
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var running = Task.Run(() => database.WriteAsync((c, t) => { Insert(c, t, "first"); started.Set(); release.Wait(Deadline); }, CancellationToken.None));
        Assert.True(started.Wait(Deadline));

        using var giveUp = new CancellationTokenSource();
        var abandoned = database.WriteAsync((c, t) => Insert(c, t, "abandoned"), giveUp.Token);
        var kept = database.WriteAsync((c, t) => Insert(c, t, "kept"), CancellationToken.None);
        await giveUp.CancelAsync();
        release.Set();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(Deadline));
        await kept.WaitAsync(Deadline);
        Assert.Equal(["first", "kept"], Notes());
    }

    [Fact]
    public async Task AWriteAlone_ThatThrows_IsRolledBack()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => database.WriteAsync((c, t) =>
        {
            Insert(c, t, "lost");
            throw new InvalidOperationException();
        }, CancellationToken.None));
        await database.WriteAsync((c, t) => Insert(c, t, "stored"), CancellationToken.None);
        Assert.Equal(["stored"], Notes());
    }

    [Fact]
    public async Task CommittedPages_AreCopiedIntoTheDatabaseFile_BesideTheWriter()
    {
        // 2 MB is 500 pages: far below the writer's own checkpoint, so only the checkpointer moves them out of the WAL.
        var file = new FileInfo(Path.Combine(directory, "agenthost.db"));
        var before = file.Length;
        for (var i = 0; i < 100; i++)
        {
            await database.WriteAsync((c, t) => Insert(c, t, new string('x', 20_000)), CancellationToken.None);
        }

        await WaitUntilAsync(() => { file.Refresh(); return file.Length >= before + 2_000_000; });
        Assert.Equal(100, Notes().Count);
    }

    [Fact]
    public void DisposingTwice_IsHarmless()
    {
        database.Dispose();
        database.Dispose();
    }

    [Fact]
    public async Task WritesAfterDispose_Throw()
    {
        database.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => database.WriteAsync((c, t) => Insert(c, t, "late"), CancellationToken.None).WaitAsync(Deadline));
    }

    public void Dispose()
    {
        database.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private static void Insert(SqliteConnection connection, SqliteTransaction transaction, string text) =>
        connection.Command("INSERT INTO notes (text) VALUES (@text)", transaction, ("@text", text)).Run();

    private List<string> Notes()
    {
        using var connection = database.OpenReaderAsync(CancellationToken.None).Result;
        using var command = connection.Command("SELECT text FROM notes ORDER BY seq");
        using var reader = command.ExecuteReader();
        var notes = new List<string>();
        while (reader.Read())
        {
            notes.Add(reader.GetString(0));
        }

        return notes;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition was not met in time");
            await Task.Delay(10);
        }
    }
}

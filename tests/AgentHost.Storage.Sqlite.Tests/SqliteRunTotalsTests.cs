using AgentHost.Core.Observability;

namespace AgentHost.Storage.Sqlite.Tests;

/// <summary>Runs' spend held in memory is what the writer's latest write left, never an older one.</summary>
public sealed class SqliteRunTotalsTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string directory = Directory.CreateTempSubdirectory("agenthost-totals-").FullName;

    [Fact]
    public void AWriteCommittedLate_DoesNotReplaceALaterOne()
    {
        var totals = new SqliteRunTotals(capacity: 10);
        var (first, second) = (totals.NextWrite(), totals.NextWrite());

        totals.Committed("run_a", second, new ScopeSpend { ModelCalls = 2 });
        totals.Committed("run_a", first, new ScopeSpend { ModelCalls = 1 });

        Assert.True(totals.TryGet("run_a", out var held));
        Assert.Equal(2, held.ModelCalls);
    }

    [Fact]
    public void AWriteFromBeforeAForget_IsNotKept()
    {
        var totals = new SqliteRunTotals(capacity: 10);
        var before = totals.NextWrite();
        totals.Committed("run_a", totals.NextWrite(), new ScopeSpend { ModelCalls = 1 });

        totals.Forget();
        totals.Committed("run_b", before, new ScopeSpend { ModelCalls = 1 });
        totals.Committed("run_c", totals.NextWrite(), new ScopeSpend { ModelCalls = 3 });

        Assert.False(totals.TryGet("run_a", out _));
        Assert.False(totals.TryGet("run_b", out _));
        Assert.True(totals.TryGet("run_c", out var kept) && kept.ModelCalls == 3);
    }

    [Fact]
    public void PastTheBound_OlderRunsAreLetGo()
    {
        var totals = new SqliteRunTotals(capacity: 2);
        foreach (var run in new[] { "run_a", "run_b", "run_c" })
        {
            totals.Committed(run, totals.NextWrite(), new ScopeSpend { ModelCalls = 1 });
        }

        Assert.False(totals.TryGet("run_a", out _));
        Assert.True(totals.TryGet("run_c", out _));
    }

    [Fact]
    public async Task ARecordedCall_IsServedFromMemory_AsTheFileHoldsIt()
    {
        var path = Path.Combine(directory, "agenthost.db");
        var call = new ModelCallRecord
        {
            Id = "call_1", StartedAt = 1, DurationMs = 1, EntryPoint = ModelCallEntryPoints.Assistants, ApiKeyId = "key_1",
            RunId = "run_a", ParentRunIds = ["run_parent"], Model = "gpt-4o", Status = ModelCallStatuses.Ok,
            Usage = new TraceUsage { InputTokens = 10, OutputTokens = 2 },
        };
        using (var database = new SqliteDatabase(path))
        {
            var ledger = new SqliteUsageLedger(database);
            await ledger.RecordAsync(call, None);
            await ledger.RecordAsync(call with { Id = "call_2" }, None);

            Assert.True(database.RunTotals.TryGet("run_a", out var held));
            Assert.True(database.RunTotals.TryGet("run_parent", out var parent));
            Assert.Equal((2, 20, 2), (held.ModelCalls, held.InputTokens, parent.ModelCalls));
            Assert.Equal(held, await ledger.GetSpendAsync(SpendScopes.Run, "run_a", SpendScopes.Lifetime, None));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var reopened = new SqliteDatabase(path);
        var read = await new SqliteUsageLedger(reopened).GetSpendAsync(SpendScopes.Run, "run_a", SpendScopes.Lifetime, None);
        Assert.False(reopened.RunTotals.TryGet("run_a", out _));
        Assert.Equal((2, 20, 4), (read.ModelCalls, read.InputTokens, read.OutputTokens));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}

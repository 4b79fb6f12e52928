using System.Text.Json;
using AgentHost.Core.Observability;
using AgentHost.Storage.Sqlite;

namespace AgentHost.Observability.Tests.Storage;

/// <summary>
/// The upgrade gap: model calls recorded before the usage ledger existed are trace spans only. The migration step
/// <see cref="SqliteUsageBackfill"/> copies them into <c>model_calls</c> and the running totals, once, without
/// counting a call that the ledger already has.
/// </summary>
public sealed class UsageBackfillTests : IDisposable
{
    private readonly string dataDir = Directory.CreateTempSubdirectory("agenthost-backfill-").FullName;

    [Fact]
    public async Task OldModelCallSpans_AreBackfilledIntoTheLedger_AndTheirRunAssistantAndKeyTotals_WithoutCountingACallTwice()
    {
        using var database = new SqliteDatabase(Path.Combine(dataDir, "agenthost.db"));
        var ledger = new SqliteUsageLedger(database);
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var month = SpendScopes.Month(DateTimeOffset.FromUnixTimeMilliseconds(at));

        // A database from before the ledger: two model calls of a run and a tool call, as trace spans only; and a
        // call made since, which is both a span and a ledger row (the two share their id).
        await InsertSpanAsync(database, Span("span_old1", TraceSpanKinds.ModelCall, at, 1000, 100, new TraceCost { InputUsd = 0.0025m, CachedInputUsd = 0m, CacheWriteUsd = 0m, OutputUsd = 0.001m, PricedAs = "gpt-4o@2024-08-06" }));
        await InsertSpanAsync(database, Span("span_old2", TraceSpanKinds.ModelCall, at + 10, 2000, 0, null) with { Status = ModelCallStatuses.Error });
        await InsertSpanAsync(database, Span("span_tool", TraceSpanKinds.ToolCall, at + 20, 0, 0, null));
        var recent = Span("span_new", TraceSpanKinds.ModelCall, at + 30, 500, 50, new TraceCost { InputUsd = 0.00125m, CachedInputUsd = 0m, CacheWriteUsd = 0m, OutputUsd = 0.0005m, PricedAs = "gpt-4o@2024-08-06" });
        await InsertSpanAsync(database, recent);
        await ledger.RecordAsync(new ModelCallRecord
        {
            Id = recent.Id, StartedAt = recent.StartedAt, DurationMs = 5, EntryPoint = ModelCallEntryPoints.Assistants, ApiKeyId = "key_old", RunId = "run_old",
            ThreadId = "thread_old", AssistantId = "asst_old", Provider = "openai", Model = "gpt-4o", Status = ModelCallStatuses.Ok, Usage = recent.Usage, Cost = recent.Cost,
        }, CancellationToken.None);

        await database.WriteAsync((c, t) => c.Command(SqliteUsageBackfill.Migration, t).Run(), CancellationToken.None);

        var run = await ledger.GetSpendAsync(SpendScopes.Run, "run_old", SpendScopes.Lifetime, CancellationToken.None);
        Assert.Equal((3L, 1L, 3500L, 150L, 0.00525m), (run.ModelCalls, run.Errors, run.InputTokens, run.OutputTokens, run.CostUsd));
        var assistant = await ledger.GetSpendAsync(SpendScopes.Assistant, "asst_old", month, CancellationToken.None);
        Assert.Equal((3L, 0.00525m), (assistant.ModelCalls, assistant.CostUsd));
        var key = await ledger.GetSpendAsync(SpendScopes.ApiKey, "key_old", month, CancellationToken.None);
        Assert.Equal((3L, 0.00525m), (key.ModelCalls, key.CostUsd));
        var byRun = Assert.Single(await ledger.SumUsageAsync(new UsageQuery { StartMs = at - 1000, EndMs = at + 1000, GroupBy = "run" }, CancellationToken.None));
        Assert.Equal(("run_old", 3L, 0.00525m), (byRun.Key, byRun.ModelCalls, byRun.CostUsd));
    }

    [Fact]
    public void TheBackfill_IsAMigrationStepOfTheSchema()
    {
        Assert.Contains(SqliteUsageBackfill.Migration, SqliteSchema.Steps);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataDir, recursive: true);
    }

    private static TraceSpan Span(string id, string kind, long at, int input, int output, TraceCost? cost) => new()
    {
        Id = id,
        Kind = kind,
        RunId = "run_old",
        ThreadId = "thread_old",
        AssistantId = "asst_old",
        EntryPoint = kind == TraceSpanKinds.ModelCall ? ModelCallEntryPoints.Assistants : null,
        ApiKeyId = "key_old",
        StartedAt = at,
        DurationMs = 5,
        Provider = "openai",
        Model = "gpt-4o",
        Usage = kind == TraceSpanKinds.ModelCall ? new TraceUsage { InputTokens = input, OutputTokens = output } : null,
        Cost = cost,
    };

    /// <summary>A span as the trace store of the earlier version wrote it (no run row is needed to hold old spans).</summary>
    private static Task InsertSpanAsync(SqliteDatabase database, TraceSpan span) =>
        database.WriteAsync((c, t) => c.Command(
            """
            INSERT INTO trace_spans (id, run_id, thread_id, assistant_id, api_key_id, kind, provider, model, started_at, duration_ms, status,
                input_tokens, cached_tokens, cache_write_tokens, output_tokens, cost_usd, data)
            VALUES (@id, @run, @thread, @assistant, @key, @kind, @provider, @model, @started, @duration, @status, @input, 0, 0, @output, @cost, @data)
            """, t,
            ("@id", span.Id), ("@run", span.RunId), ("@thread", span.ThreadId), ("@assistant", span.AssistantId), ("@key", span.ApiKeyId), ("@kind", span.Kind),
            ("@provider", span.Provider), ("@model", span.Model), ("@started", span.StartedAt), ("@duration", span.DurationMs), ("@status", span.Status),
            ("@input", span.Usage?.InputTokens ?? 0), ("@output", span.Usage?.OutputTokens ?? 0), ("@cost", (double)(span.Cost?.TotalUsd ?? 0m)),
            ("@data", JsonSerializer.Serialize(span, TraceJsonContext.Default.TraceSpan))).Run(), CancellationToken.None);
}

using System.Text.Json;
using AgentHost.Core.Observability;
using AgentHost.Storage.Sqlite;
using Microsoft.Data.Sqlite;

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
        var path = Path.Combine(dataDir, "agenthost.db");
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var month = SpendScopes.Month(DateTimeOffset.FromUnixTimeMilliseconds(at));

        // A database from before the ledger, at the schema step just before the backfill: two model calls of a run and a
        // tool call, as trace spans only; and a call made since, which is both a span and a ledger row (the two share
        // their id), written as the ledger of that schema wrote it.
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            SqliteDatabase.Execute(connection, "CREATE TABLE schema_version (version INTEGER NOT NULL)");
            var backfillStep = SqliteSchema.Steps.ToList().IndexOf(SqliteUsageBackfill.Migration) + 1;
            for (var version = 1; version < backfillStep; version++)
            {
                SqliteDatabase.Execute(connection, SqliteSchema.Steps[version - 1] + $";\nINSERT INTO schema_version (version) VALUES ({version});");
            }

            InsertSpan(connection, Span("span_old1", TraceSpanKinds.ModelCall, at, 1000, 100, new TraceCost { InputUsd = 0.0025m, CachedInputUsd = 0m, CacheWriteUsd = 0m, OutputUsd = 0.001m, PricedAs = "gpt-4o@2024-08-06" }));
            InsertSpan(connection, Span("span_old2", TraceSpanKinds.ModelCall, at + 10, 2000, 0, null) with { Status = ModelCallStatuses.Error });
            InsertSpan(connection, Span("span_tool", TraceSpanKinds.ToolCall, at + 20, 0, 0, null));
            InsertSpan(connection, Span("span_new", TraceSpanKinds.ModelCall, at + 30, 500, 50, new TraceCost { InputUsd = 0.00125m, CachedInputUsd = 0m, CacheWriteUsd = 0m, OutputUsd = 0.0005m, PricedAs = "gpt-4o@2024-08-06" }));
            connection.Command(
                """
                INSERT INTO model_calls (id, started_at, duration_ms, entry_point, api_key_id, run_id, thread_id, assistant_id, provider, model, status,
                    input_tokens, cached_tokens, cache_write_tokens, output_tokens, reasoning_tokens, reported, input_pusd, cached_pusd, cache_write_pusd,
                    output_pusd, priced_as, tools_offered, tool_calls)
                VALUES ('span_new', @at, 5, 'assistants', 'key_old', 'run_old', 'thread_old', 'asst_old', 'openai', 'gpt-4o', 'ok', 500, 0, 0, 50, 0, 1,
                    1250000000, 0, 0, 500000000, 'gpt-4o@2024-08-06', 0, '');
                INSERT INTO usage_totals (scope, scope_id, period, calls, unpriced_calls, errors, input_tokens, cached_tokens, cache_write_tokens, output_tokens,
                    input_pusd, output_pusd, cache_pusd, first_at, last_at, last_model)
                VALUES ('run', 'run_old', '', 1, 0, 0, 500, 0, 0, 50, 1250000000, 500000000, 0, @at, @at, 'gpt-4o'),
                    ('assistant', 'asst_old', @month, 1, 0, 0, 500, 0, 0, 50, 1250000000, 500000000, 0, @at, @at, 'gpt-4o'),
                    ('api_key', 'key_old', @month, 1, 0, 0, 500, 0, 0, 50, 1250000000, 500000000, 0, @at, @at, 'gpt-4o');
                """, null, ("@at", at + 30), ("@month", month)).Run();
        }

        // Opening the database applies the backfill and every later step.
        using var database = new SqliteDatabase(path);
        var ledger = new SqliteUsageLedger(database);

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
        SqliteConnection.ClearAllPools();
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
    private static void InsertSpan(SqliteConnection connection, TraceSpan span) =>
        connection.Command(
            """
            INSERT INTO trace_spans (id, run_id, thread_id, assistant_id, api_key_id, kind, provider, model, started_at, duration_ms, status,
                input_tokens, cached_tokens, cache_write_tokens, output_tokens, cost_usd, data)
            VALUES (@id, @run, @thread, @assistant, @key, @kind, @provider, @model, @started, @duration, @status, @input, 0, 0, @output, @cost, @data)
            """, null,
            ("@id", span.Id), ("@run", span.RunId), ("@thread", span.ThreadId), ("@assistant", span.AssistantId), ("@key", span.ApiKeyId), ("@kind", span.Kind),
            ("@provider", span.Provider), ("@model", span.Model), ("@started", span.StartedAt), ("@duration", span.DurationMs), ("@status", span.Status),
            ("@input", span.Usage?.InputTokens ?? 0), ("@output", span.Usage?.OutputTokens ?? 0), ("@cost", (double)(span.Cost?.TotalUsd ?? 0m)),
            ("@data", JsonSerializer.Serialize(span, TraceJsonContext.Default.TraceSpan))).Run();
}

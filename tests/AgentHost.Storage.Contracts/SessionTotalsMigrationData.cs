using AgentHost.Core.Observability;

namespace AgentHost.Storage.Contracts;

/// <summary>
/// A usage ledger as the schema before per-project session totals left it, and what the stores' migration step must make
/// of it: a session whose calls were all in one project keeps its totals as they were, under that project; one used by
/// two projects is split, each project's totals added up again from its calls; one with no calls left belongs to the
/// default project; other scopes keep their totals.
/// </summary>
public static class SessionTotalsMigrationData
{
    /// <summary>The rows, written with the schema one step before the migration (SQL both stores accept).</summary>
    public const string OldRows =
        """
        INSERT INTO model_calls (id, started_at, duration_ms, entry_point, api_key_id, session_id, model, status, input_tokens, cached_tokens,
            cache_write_tokens, output_tokens, reasoning_tokens, reported, input_pusd, cached_pusd, cache_write_pusd, output_pusd, priced_as,
            tools_offered, tool_calls, project)
        VALUES ('call_1', 1000, 5, 'messages', 'key_a', 'solo', 'gpt-4o', 'ok', 100, 0, 0, 10, 0, true, 1000, 0, 0, 100, 'gpt-4o', 0, '', 'proj_a'),
            ('call_2', 2000, 5, 'messages', 'key_a', 'main', 'gpt-4o', 'ok', 10, 0, 0, 1, 0, true, 100, 0, 0, 10, 'gpt-4o', 0, '', 'proj_a'),
            ('call_3', 3000, 5, 'messages', 'key_b', 'main', 'claude', 'ok', 20, 3, 4, 2, 0, true, 200, 5, 7, 30, 'claude', 0, '', 'proj_b'),
            ('call_4', 4000, 5, 'messages', 'key_b', 'main', 'claude-x', 'error', 0, 0, 0, 0, 0, true, 0, 0, 0, 0, NULL, 0, '', 'proj_b');
        INSERT INTO usage_totals (scope, scope_id, period, calls, unpriced_calls, errors, input_tokens, cached_tokens, cache_write_tokens,
            output_tokens, input_pusd, output_pusd, cache_pusd, first_at, last_at, last_model)
        VALUES ('session', 'solo', '', 7, 0, 0, 700, 0, 0, 70, 7000, 700, 0, 1000, 1000, 'gpt-4o'),
            ('session', 'main', '', 2, 0, 1, 30, 3, 4, 3, 300, 40, 12, 2000, 4000, 'claude-x'),
            ('session', 'gone', '', 2, 0, 0, 50, 0, 0, 5, 500, 50, 0, 500, 600, 'gpt-4o'),
            ('run', 'run_1', '', 5, 0, 0, 10, 0, 0, 1, 100, 10, 0, 500, 600, 'gpt-4o');
        """;

    /// <summary>Asserts what the migration made of <see cref="OldRows"/>, read through the store's ledger.</summary>
    public static async Task AssertMigratedAsync(IUsageLedger ledger)
    {
        var none = CancellationToken.None;
        var solo = await ledger.GetSessionSpendAsync("proj_a", "solo", none);
        var mainA = await ledger.GetSessionSpendAsync("proj_a", "main", none);
        var mainB = await ledger.GetSessionSpendAsync("proj_b", "main", none);
        var gone = await ledger.GetSessionSpendAsync("default", "gone", none);
        var run = await ledger.GetSpendAsync(SpendScopes.Run, "run_1", SpendScopes.Lifetime, none);

        Assert.Equal((7L, 700L, 7000 / UsageLedgerRows.PicosPerDollar + 700 / UsageLedgerRows.PicosPerDollar), (solo.ModelCalls, solo.InputTokens, solo.CostUsd));
        Assert.Equal((1L, 0L, 10L, 1L, 110 / UsageLedgerRows.PicosPerDollar, 2000L, 2000L), (mainA.ModelCalls, mainA.Errors, mainA.InputTokens, mainA.OutputTokens, mainA.CostUsd, mainA.FirstAt, mainA.LastAt));
        Assert.Equal((1L, 1L, 0L, 20L, 3L, 4L, 2L), (mainB.ModelCalls, mainB.Errors, mainB.UnpricedCalls, mainB.InputTokens, mainB.CachedInputTokens, mainB.CacheWriteTokens, mainB.OutputTokens));
        Assert.Equal((242 / UsageLedgerRows.PicosPerDollar, 12 / UsageLedgerRows.PicosPerDollar, 3000L, 4000L), (mainB.CostUsd, mainB.CacheUsd, mainB.FirstAt, mainB.LastAt));
        Assert.Equal((2L, 50L), (gone.ModelCalls, gone.InputTokens));
        Assert.Equal(ScopeSpend.None, await ledger.GetSessionSpendAsync("default", "main", none));
        Assert.Equal((5L, 10L), (run.ModelCalls, run.InputTokens));

        // The admin sees the split session once: both projects' calls, and the model of its newest call.
        var main = await ledger.GetSessionAsync("main", none);
        Assert.Equal((2L, "claude-x"), (main!.Spend.ModelCalls, main.LastModel));
    }
}

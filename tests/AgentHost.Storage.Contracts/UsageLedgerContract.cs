using AgentHost.Core.Domain;
using AgentHost.Core.Observability;
using AgentHost.Core.Storage;

namespace AgentHost.Storage.Contracts;

/// <summary>What every <see cref="IUsageLedger"/> must do: exact running totals per scope, sums, sessions.</summary>
public abstract class UsageLedgerContract<TFactory> : StoreContract<TFactory>
    where TFactory : IStoreFactory, new()
{
    private static readonly long March = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [StoreFact]
    public async Task ConcurrentCalls_AddUpExactlyInEveryScope()
    {
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => Stores.Ledger.RecordAsync(Call(i, "run_1", "sess_1"), None))));

        var run = await Stores.Ledger.GetSpendAsync(SpendScopes.Run, "run_1", SpendScopes.Lifetime, None);
        var key = await Stores.Ledger.GetSpendAsync(SpendScopes.ApiKey, "key_1", "2026-03", None);

        Assert.Equal((40L, 400L, 80L, 40 * 0.000001234567m), (run.ModelCalls, run.InputTokens, run.OutputTokens, run.CostUsd));
        Assert.Equal(run.CostUsd, key.CostUsd);
        Assert.Equal((March, March + 39), (run.FirstAt, run.LastAt));
        Assert.Equal(ScopeSpend.None, await Stores.Ledger.GetSpendAsync(SpendScopes.Run, "run_none", SpendScopes.Lifetime, None));
    }

    [StoreFact]
    public async Task ACallOfANestedRun_AddsToEveryAncestorRun_HoweverDeep()
    {
        string[] deep = [.. Enumerable.Range(0, 20).Select(i => $"run_parent_{i}")];
        await Stores.Ledger.RecordAsync(Call(0, "run_child", "sess_1") with { ParentRunIds = ["run_parent_0", "run_parent_1"] }, None);
        await Stores.Ledger.RecordAsync(Call(1, "run_grandchild", null) with { ParentRunIds = deep }, None);

        foreach (var (id, calls) in deep.Select((id, i) => (id, i < 2 ? 2L : 1L)).Append(("run_child", 1L)).Append(("run_grandchild", 1L)))
        {
            var spend = await Stores.Ledger.GetSpendAsync(SpendScopes.Run, id, SpendScopes.Lifetime, None);
            Assert.True((calls, calls * 10) == (spend.ModelCalls, spend.InputTokens), $"{id}: {spend.ModelCalls} calls, {spend.InputTokens} input tokens; expected {calls}");
        }

        var key = await Stores.Ledger.GetSpendAsync(SpendScopes.ApiKey, "key_1", "2026-03", None);
        Assert.Equal((2L, (March, March + 1)), (key.ModelCalls, (key.FirstAt, key.LastAt)));
    }

    [StoreFact]
    public async Task Sums_GroupAndFilterCalls()
    {
        await Stores.Ledger.RecordAsync(Call(0, "run_1", null) with { Model = "gpt-4o" }, None);
        await Stores.Ledger.RecordAsync(Call(1, "run_1", null) with { Model = "claude", Status = ModelCallStatuses.Error }, None);
        await Stores.Ledger.RecordAsync(Call(2, "run_2", null) with { Model = "claude" }, None);

        var byModel = await Stores.Ledger.SumUsageAsync(new UsageQuery { GroupBy = "model" }, None);
        var ofRun = await Stores.Ledger.SumUsageAsync(new UsageQuery { RunId = "run_1" }, None);
        var byDay = await Stores.Ledger.SumUsageAsync(new UsageQuery { GroupBy = "day", StartMs = March + 1 }, None);

        Assert.Equal([("claude", 2L, 1L), ("gpt-4o", 1L, 0L)], byModel.Select(t => (t.Key, t.ModelCalls, t.Errors)));
        Assert.Equal((2L, 20L), (ofRun.Single().ModelCalls, ofRun.Single().InputTokens));
        Assert.Equal([("2026-03-01", 2L)], byDay.Select(t => (t.Key, t.ModelCalls)));
    }

    [StoreFact]
    public async Task Sessions_AreListedMostRecentFirstWithTheirCalls()
    {
        await Stores.Ledger.RecordAsync(Call(0, null, "sess_a"), None);
        await Stores.Ledger.RecordAsync(Call(1, null, "sess_b"), None);
        await Stores.Ledger.RecordAsync(Call(2, null, "sess_c"), None);
        await Stores.Ledger.RecordAsync(Call(3, null, "sess_a") with { Model = "claude" }, None);

        var first = await Stores.Ledger.ListSessionsAsync(2, null, None);
        var next = await Stores.Ledger.ListSessionsAsync(2, first[^1].Id, None);
        var calls = await Stores.Ledger.ListSessionCallsAsync("sess_a", None);

        Assert.Equal(["sess_a", "sess_c"], first.Select(s => s.Id));
        Assert.Equal(["sess_b"], next.Select(s => s.Id));
        Assert.Equal(("claude", 2L), (first[0].LastModel, first[0].Spend.ModelCalls));
        Assert.Equal([March, March + 3], calls.Select(c => c.StartedAt));
        Assert.Equivalent(Call(0, null, "sess_a"), calls[0], strict: true);
        Assert.Null(await Stores.Ledger.GetSessionAsync("sess_none", None));
    }

    [StoreFact]
    public async Task TwoProjectsUsingOneSessionId_KeepSeparateTotals_AndTheAdminSeesTheIdOnceWithBoth()
    {
        await Stores.Ledger.RecordAsync(Call(0, null, "main") with { Project = "proj_a" }, None);
        await Stores.Ledger.RecordAsync(Call(1, null, "main") with { Project = "proj_b", Model = "claude" }, None);
        await Stores.Ledger.RecordAsync(Call(2, null, "main") with { Project = "proj_b", Model = "claude" }, None);
        await Stores.Ledger.RecordAsync(Call(3, null, "other") with { Project = "proj_a" }, None);

        var a = await Stores.Ledger.GetSessionSpendAsync("proj_a", "main", None);
        var b = await Stores.Ledger.GetSessionSpendAsync("proj_b", "main", None);
        Assert.Equal((1L, 10L, March, March), (a.ModelCalls, a.InputTokens, a.FirstAt, a.LastAt));
        Assert.Equal((2L, 20L, 2 * 0.000001234567m, March + 1, March + 2), (b.ModelCalls, b.InputTokens, b.CostUsd, b.FirstAt, b.LastAt));
        Assert.Equal(ScopeSpend.None, await Stores.Ledger.GetSessionSpendAsync("proj_c", "main", None));
        await Assert.ThrowsAsync<ArgumentException>(() => Stores.Ledger.GetSpendAsync(SpendScopes.Session, "main", SpendScopes.Lifetime, None));

        using (ProjectScope.Enter("proj_a"))
        {
            var listed = await Stores.Ledger.ListSessionsAsync(10, null, None);
            Assert.Equal([("other", 1L), ("main", 1L)], listed.Select(s => (s.Id, s.Spend.ModelCalls)));
            var main = await Stores.Ledger.GetSessionAsync("main", None);
            Assert.Equal((1L, "gpt-4o"), (main!.Spend.ModelCalls, main.LastModel));
            Assert.Equal(["call_0"], (await Stores.Ledger.ListSessionCallsAsync("main", None)).Select(c => c.Id));
        }

        using (ProjectScope.Enter("proj_b"))
        {
            var listed = await Stores.Ledger.ListSessionsAsync(10, null, None);
            Assert.Equal([("main", 2L, 20L)], listed.Select(s => (s.Id, s.Spend.ModelCalls, s.Spend.InputTokens)));
            Assert.Null(await Stores.Ledger.GetSessionAsync("other", None));
        }

        // The admin (no project) sees each id once, at its latest call, with every project's calls of it.
        var first = await Stores.Ledger.ListSessionsAsync(1, null, None);
        var second = await Stores.Ledger.ListSessionsAsync(1, first[^1].Id, None);
        var third = await Stores.Ledger.ListSessionsAsync(1, second[^1].Id, None);
        Assert.Equal([("other", 1L)], first.Select(s => (s.Id, s.Spend.ModelCalls)));
        Assert.Equal([("main", 3L, 30L, March, March + 2)], second.Select(s => (s.Id, s.Spend.ModelCalls, s.Spend.InputTokens, s.Spend.FirstAt, s.Spend.LastAt)));
        Assert.Empty(third);
        var all = await Stores.Ledger.GetSessionAsync("main", None);
        Assert.Equal((3L, 3 * 0.000001234567m, "claude"), (all!.Spend.ModelCalls, all.Spend.CostUsd, all.LastModel));
    }

    [StoreFact]
    public async Task DeletingAThread_KeepsItsSpendButDropsItsRunTotals()
    {
        var thread = Objects.Thread();
        var run = Objects.Run(thread.Id, RunStatus.Completed);
        await Stores.Agents.TryCreateRunAsync(run, thread, [], None);
        await Stores.Ledger.RecordAsync(Call(0, run.Id, null) with { ThreadId = thread.Id }, None);

        await Stores.Agents.DeleteThreadAsync(thread.Id, None);

        Assert.Equal(ScopeSpend.None, await Stores.Ledger.GetSpendAsync(SpendScopes.Run, run.Id, SpendScopes.Lifetime, None));
        Assert.Equal(1, (await Stores.Ledger.GetSpendAsync(SpendScopes.ApiKey, "key_1", "2026-03", None)).ModelCalls);
        Assert.Empty(await Stores.Ledger.SumUsageAsync(new UsageQuery { ThreadId = thread.Id }, None));
        Assert.Equal(1, (await Stores.Ledger.SumUsageAsync(new UsageQuery(), None)).Single().ModelCalls);
    }

    private static ModelCallRecord Call(int i, string? runId, string? sessionId) => new()
    {
        Id = $"call_{i}",
        StartedAt = March + i,
        DurationMs = 10,
        EntryPoint = ModelCallEntryPoints.Assistants,
        ApiKeyId = "key_1",
        SessionId = sessionId,
        RunId = runId,
        AssistantId = "asst_1",
        Provider = "openai",
        Model = "gpt-4o",
        Status = ModelCallStatuses.Ok,
        Usage = new TraceUsage { InputTokens = 10, OutputTokens = 2, CachedInputTokens = 1 },
        Cost = new TraceCost { InputUsd = 0.000001m, CachedInputUsd = 0.000000034567m, CacheWriteUsd = 0, OutputUsd = 0.0000002m, PricedAs = "gpt-4o" },
        ToolsOffered = 2,
        ToolCalls = ["lookup", "search"],
    };
}

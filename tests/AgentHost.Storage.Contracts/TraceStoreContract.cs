using AgentHost.Core.Domain;
using AgentHost.Core.Observability;

namespace AgentHost.Storage.Contracts;

/// <summary>What every <see cref="ITraceStore"/> must do: spans by run and session in start order, dropped with their thread.</summary>
public abstract class TraceStoreContract<TFactory> : StoreContract<TFactory>
    where TFactory : IStoreFactory, new()
{
    [StoreFact]
    public async Task Spans_KeepTheirProject_AndAreReadOnlyInIt()
    {
        var inA = new TraceSpan { Id = "span_a", Kind = TraceSpanKinds.ModelCall, SessionId = "sess_shared", StartedAt = 10, Project = "proj_a" };
        var inB = new TraceSpan { Id = "span_b", Kind = TraceSpanKinds.ModelCall, SessionId = "sess_shared", StartedAt = 20, Project = "proj_b" };
        await Stores.Traces.AddSpansAsync([inA, inB], None);

        IReadOnlyList<TraceSpan> seenByA, seenByB;
        using (Core.Storage.ProjectScope.Enter("proj_a"))
        {
            seenByA = await Stores.Traces.GetSessionSpansAsync("sess_shared", None);
        }

        using (Core.Storage.ProjectScope.Enter("proj_b"))
        {
            seenByB = await Stores.Traces.GetSessionSpansAsync("sess_shared", None);
        }

        Assert.Equal(["span_a"], seenByA.Select(s => s.Id));
        Assert.Equal(["span_b"], seenByB.Select(s => s.Id));
        Assert.Equal(["span_a", "span_b"], (await Stores.Traces.GetSessionSpansAsync("sess_shared", None)).Select(s => s.Id));
    }

    [StoreFact]
    public async Task Spans_AreReadByRunAndSessionInStartOrder()
    {
        var thread = Objects.Thread();
        var run = Objects.Run(thread.Id, RunStatus.Completed);
        await Stores.Agents.TryCreateRunAsync(run, thread, [], None);
        var late = Span(run, 200);
        var early = Span(run, 100) with { Usage = new TraceUsage { InputTokens = 5, OutputTokens = 2 }, Cost = Cost(0.5m) };
        var gateway = new TraceSpan { Id = "span_gw", Kind = TraceSpanKinds.ModelCall, SessionId = "sess_1", StartedAt = 50, Model = "gpt-4o" };

        await Stores.Traces.AddSpansAsync([late, early, gateway, Span(Objects.Run("thread_gone"), 10)], None);

        Assert.Equal([early.Id, late.Id], (await Stores.Traces.GetRunSpansAsync(run.Id, None)).Select(s => s.Id));
        Assert.Equal(5, (await Stores.Traces.GetRunSpansAsync(run.Id, None))[0].Usage?.InputTokens);
        Assert.Equal(["span_gw"], (await Stores.Traces.GetSessionSpansAsync("sess_1", None)).Select(s => s.Id));
        Assert.Equal(1, (await Stores.Traces.CountRunsByStatusAsync(None))[RunStatus.Completed]);

        await Stores.Agents.DeleteThreadAsync(thread.Id, None);

        Assert.Empty(await Stores.Traces.GetRunSpansAsync(run.Id, None));
        Assert.Single(await Stores.Traces.GetSessionSpansAsync("sess_1", None));
    }

    private static TraceSpan Span(ThreadRun run, long startedAt) => new()
    {
        Id = "span_" + Guid.NewGuid().ToString("N"),
        Kind = TraceSpanKinds.ModelCall,
        RunId = run.Id,
        ThreadId = run.ThreadId,
        AssistantId = run.AssistantId,
        StartedAt = startedAt,
        Model = "gpt-4o",
    };

    private static TraceCost Cost(decimal usd) => new() { InputUsd = usd, CachedInputUsd = 0, CacheWriteUsd = 0, OutputUsd = 0, PricedAs = "gpt-4o" };
}

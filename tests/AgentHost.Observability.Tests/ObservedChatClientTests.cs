using AgentHost.Core.Observability;
using AgentHost.Observability.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentHost.Observability.Tests;

public sealed class ObservedChatClientTests : IDisposable
{
    private readonly string dataDir = Directory.CreateTempSubdirectory("agenthost-observability-").FullName;

    private string Database => Path.Combine(dataDir, "agenthost.db");

    [Fact]
    public async Task StreamedCall_IsWrittenToTheLedgerAsItEnds_WithCostSessionAndTrace()
    {
        await using var models = ObservedModels.Start(Database);
        var client = models.Wrap(ScriptedChatClient.Answering("gpt-4o-2024-08-06", inputTokens: 1000, outputTokens: 100), "gpt-4o");

        await foreach (var _ in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")], Scoped("sess-1")))
        {
        }

        // 1,000 in × $2.50 + 100 out × $10, per million.
        var call = Assert.Single(await models.Ledger.ListSessionCallsAsync("sess-1", CancellationToken.None));
        Assert.Equal((ModelCallStatuses.Ok, "gpt-4o", "gpt-4o-2024-08-06", ModelCallEntryPoints.Messages), (call.Status, call.Model, call.ServedModel, call.EntryPoint));
        Assert.Equal(0.0035m, call.Cost!.TotalUsd);
        Assert.Equal("stop", call.StopReason);
        Assert.NotNull(call.TimeToFirstUpdateMs);
        var session = await models.Ledger.GetSessionSpendAsync(AgentHost.Core.Storage.Projects.Default, "sess-1", CancellationToken.None);
        Assert.Equal((1L, 1000L, 100L, 0.0035m), (session.ModelCalls, session.InputTokens, session.OutputTokens, session.CostUsd));

        await models.FlushTracesAsync();
        var span = Assert.Single(await models.Traces.GetSessionSpansAsync("sess-1", CancellationToken.None));
        Assert.Equal(call.Id, span.Id);
        Assert.Contains("Hello from the scripted provider.", span.Response!.Value.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scope_IsTakenOffTheOptions_BeforeTheProviderSeesThem()
    {
        await using var models = ObservedModels.Start(Database);
        var provider = ScriptedChatClient.Answering("gpt-4o", 10, 2);
        var options = Scoped("sess-2");
        options.AdditionalProperties!["kept"] = "yes";

        await models.Wrap(provider, "gpt-4o").GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], options);

        var received = Assert.Single(provider.Received)!;
        Assert.False(received.AdditionalProperties!.ContainsKey(ModelCallScope.PropertyName));
        Assert.Equal("yes", received.AdditionalProperties["kept"]);
        Assert.NotNull(ModelCallScope.Of(options));
    }

    [Fact]
    public async Task CallerStopsReadingMidStream_CallIsRecordedCancelled_WithTheEstimatedCostOfWhatWasProduced()
    {
        await using var models = ObservedModels.Start(Database);
        var client = models.Wrap(ScriptedChatClient.Answering("gpt-4o", 1000, 100), "gpt-4o");

        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")], Scoped("sess-3", estimatedPromptTokens: 400)))
        {
            break;
        }

        var call = Assert.Single(await models.Ledger.ListSessionCallsAsync("sess-3", CancellationToken.None));
        Assert.Equal(ModelCallStatuses.Cancelled, call.Status);
        Assert.False(call.Usage!.Reported);
        Assert.Equal(400, call.Usage.InputTokens);
        Assert.True(call.Usage.OutputTokens > 0);
        Assert.True(call.Cost!.TotalUsd > 0.001m);
    }

    [Fact]
    public async Task SessionBudget_WithTracingOff_StopsTheNextCallAfterARestart()
    {
        var tracingOff = new Dictionary<string, string?> { ["AgentHost:Observability:Tracing"] = "false" };
        await using (var before = ObservedModels.Start(Database, tracingOff))
        {
            // It starts within the budget (a few prompt tokens), then spends $0.0035 (1,000 in, 100 out), passing it.
            var first = Scoped("sess-4", budgetUsd: 0.003m);
            first.MaxOutputTokens = 200;
            await before.Wrap(ScriptedChatClient.Answering("gpt-4o", 1000, 100), "gpt-4o").GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], first);
            await before.FlushTracesAsync();
            Assert.Empty(await before.Traces.GetSessionSpansAsync("sess-4", CancellationToken.None));
        }

        await using var after = ObservedModels.Start(Database, tracingOff);
        var provider = ScriptedChatClient.Answering("gpt-4o", 1000, 100);
        var options = Scoped("sess-4", budgetUsd: 0.003m);
        options.MaxOutputTokens = 200;

        var stop = await Assert.ThrowsAsync<BudgetExceededException>(() =>
            after.Wrap(provider, "gpt-4o").GetResponseAsync([new ChatMessage(ChatRole.User, "again")], options));

        Assert.Equal(("session_budget_exceeded", SpendScopes.Session), (stop.Reason, stop.Scope));
        Assert.Contains("over its budget of $0.003", stop.Message, StringComparison.Ordinal);
        Assert.Empty(provider.Received);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataDir, recursive: true);
    }

    private static ChatOptions Scoped(string session, decimal? budgetUsd = null, int? estimatedPromptTokens = null) =>
        new ModelCallScope
        {
            EntryPoint = ModelCallEntryPoints.Messages,
            SessionId = session,
            SessionBudgetUsd = budgetUsd,
            EstimatedPromptTokens = estimatedPromptTokens,
        }.AttachTo(new ChatOptions());
}

using AgentHost.Core.Observability;
using AgentHost.Observability.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentHost.Observability.Tests;

/// <summary>A sub-assistant run's calls count toward its parent runs' totals, and the parents' budget covers them.</summary>
public sealed class SubAssistantSpendTests : IDisposable
{
    private readonly string dataDir = Directory.CreateTempSubdirectory("agenthost-observability-").FullName;

    private string Database => Path.Combine(dataDir, "agenthost.db");

    [Fact]
    public async Task AChildRunsCall_IsAddedToItsOwnAndEveryParentRunsTotal()
    {
        await using var models = ObservedModels.Start(Database);
        var client = models.Wrap(ScriptedChatClient.Answering("gpt-4o", inputTokens: 1000, outputTokens: 100), "gpt-4o");

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "parent")], RunScope("run_root", []));
        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "child")], RunScope("run_child", ["run_root"]));
        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "grandchild")], RunScope("run_grandchild", ["run_root", "run_child"]));

        // Each call: 1,000 in × $2.50 + 100 out × $10, per million = $0.0035.
        Assert.Equal((3L, 0.0105m), await SpendAsync(models, "run_root"));
        Assert.Equal((2L, 0.0070m), await SpendAsync(models, "run_child"));
        Assert.Equal((1L, 0.0035m), await SpendAsync(models, "run_grandchild"));
    }

    [Fact]
    public async Task AParentRunsBudget_StopsAChildCallThatItsOwnTotalWouldAllow()
    {
        await using var models = ObservedModels.Start(Database);
        var provider = ScriptedChatClient.Answering("gpt-4o", inputTokens: 1000, outputTokens: 100);
        var client = models.Wrap(provider, "gpt-4o");
        var budget = new Dictionary<string, string> { ["agenthost_budget_usd"] = "0.005" };
        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "parent")], RunScope("run_root", [], budget, maxOutput: 100));

        // The child has spent nothing, but the parent's $0.0035 plus the child's next call would pass the tree's $0.005.
        var stop = await Assert.ThrowsAsync<BudgetExceededException>(() =>
            client.GetResponseAsync([new ChatMessage(ChatRole.User, "child")], RunScope("run_child", ["run_root"], budget, maxOutput: 100)));

        Assert.Equal("run_budget_exceeded", stop.Reason);
        Assert.Contains("run_root", stop.Message, StringComparison.Ordinal);
        Assert.Single(provider.Received);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataDir, recursive: true);
    }

    private static async Task<(long Calls, decimal Usd)> SpendAsync(ObservedModels models, string runId)
    {
        var spend = await models.Ledger.GetSpendAsync(SpendScopes.Run, runId, SpendScopes.Lifetime, CancellationToken.None);
        return (spend.ModelCalls, spend.CostUsd);
    }

    private static ChatOptions RunScope(string runId, IReadOnlyList<string> parents, IReadOnlyDictionary<string, string>? metadata = null, int? maxOutput = null)
    {
        var options = new ModelCallScope
        {
            EntryPoint = ModelCallEntryPoints.Assistants,
            RunId = runId,
            ParentRunIds = parents,
            RunMetadata = metadata,
            EstimatedPromptTokens = 1000,
        }.AttachTo(new ChatOptions());
        options.MaxOutputTokens = maxOutput;
        return options;
    }
}

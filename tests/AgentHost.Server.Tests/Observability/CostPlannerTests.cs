using AgentHost.Observability;
using AgentHost.Server.Observability.Cli;
using AgentHost.Observability.Costs;

namespace AgentHost.Server.Tests.Observability;

public sealed class CostPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly PriceTable Prices = PriceTableLoader.Load(new ObservabilityOptions());

    [Fact]
    public void Planner_ClassicSupportWorkload_IsThreeCallsEachResendingTheContext()
    {
        var calls = CostPlanner.Calls(Classic(cacheHitRate: 0));

        Assert.Equal([(500L, 20L), (720L, 20L), (940L, 300L)], calls.Select(c => (c.InputTokens, c.OutputTokens)));
        // 2,160 in and 340 out per ticket, 10,000 tickets.
        Assert.Equal(88.00m, CostPlanner.MonthlyCost(Prices, "gpt-4o", Classic(0), Now));
        Assert.Equal(5.28m, CostPlanner.MonthlyCost(Prices, "gpt-4o-mini", Classic(0), Now));
        Assert.Equal(115.80m, CostPlanner.MonthlyCost(Prices, "claude-3-5-sonnet", Classic(0), Now));
        Assert.Equal(30.88m, CostPlanner.MonthlyCost(Prices, "claude-3-5-haiku", Classic(0), Now));
        // The flat count the published comparison should have reached from its own numbers: 900 in, 300 out.
        Assert.Equal(52.50m, CostPlanner.FlatMonthlyCost(Prices, "gpt-4o", Classic(0), Now));
        Assert.Equal(72.00m, CostPlanner.FlatMonthlyCost(Prices, "claude-3-5-sonnet", Classic(0), Now));
    }

    [Fact]
    public void Planner_WithHalfTheContextCached_PricesReadsAndAnthropicWrites()
    {
        var calls = CostPlanner.Calls(Classic(cacheHitRate: 0.5));

        Assert.Equal([(0L, 250L), (250L, 235L), (360L, 0L)], calls.Select(c => (c.CachedInputTokens, c.CacheWriteTokens)));
        // Sonnet 3.5 per ticket: 1,987.5 + 1,961.25 + 6,348 millionths of a dollar (see docs/cost-comparison.md).
        Assert.Equal(102.9675m, CostPlanner.MonthlyCost(Prices, "claude-3-5-sonnet", Classic(0.5), Now));
        // GPT-4o has no write charge: 1,450 + 1,687.5 + 4,900.
        Assert.Equal(80.375m, CostPlanner.MonthlyCost(Prices, "gpt-4o", Classic(0.5), Now));
    }

    private static Workload Classic(double cacheHitRate) => new()
    {
        RequestsPerMonth = 10_000,
        InputTokens = 500,
        OutputTokens = 300,
        ToolCalls = 2,
        ToolResultTokens = 400,
        CacheHitRate = cacheHitRate,
    };
}

using AgentHost.Core.Observability;
using AgentHost.Observability.Costs;

namespace AgentHost.Observability.Tests.Costs;

public sealed class PriceTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
    private static readonly PriceTable Prices = PriceTableLoader.Load(new ObservabilityOptions());

    [Fact]
    public void OpenAICall_CachedTokensArePartOfInput_AndPricedAtTheCachedRate()
    {
        // prompt_tokens 1,000 of which 400 cached, 200 out on gpt-4o: 600 × $2.50 + 400 × $1.25 + 200 × $10 per million.
        var cost = Prices.Cost("gpt-4o-2024-08-06", new TraceUsage { InputTokens = 1000, CachedInputTokens = 400, OutputTokens = 200 }, Now)!;

        Assert.Equal(0.0015m, cost.InputUsd);
        Assert.Equal(0.0005m, cost.CachedInputUsd);
        Assert.Equal(0.002m, cost.OutputUsd);
        Assert.Equal(0.004m, cost.TotalUsd);
        Assert.Equal("gpt-4o@2024-10-02", cost.PricedAs);
    }

    [Fact]
    public void AnthropicCall_CacheReadsAndWritesPricedApart()
    {
        // input_tokens 300 (uncached) + 1,000 cache reads + 200 cache writes, 50 out on claude-haiku-4-5:
        // 300 × $1 + 1,000 × $0.10 + 200 × $1.25 + 50 × $5 per million.
        var usage = new TraceUsage { InputTokens = 1500, CachedInputTokens = 1000, CacheWriteTokens = 200, OutputTokens = 50 };
        var cost = Prices.Cost("claude-haiku-4-5-20251001", usage, Now)!;

        Assert.Equal(0.0003m, cost.InputUsd);
        Assert.Equal(0.0001m, cost.CachedInputUsd);
        Assert.Equal(0.00025m, cost.CacheWriteUsd);
        Assert.Equal(0.00025m, cost.OutputUsd);
        Assert.Equal(0.0009m, cost.TotalUsd);
    }

    [Fact]
    public void LongContextCall_IsPricedWhollyAtTheLongContextTier()
    {
        // 250,000 in (over the 200,000 threshold) and 1,000 out on Sonnet 4.5: 250,000 × $6 + 1,000 × $22.50.
        var cost = Prices.Cost("claude-sonnet-4-5", new TraceUsage { InputTokens = 250_000, OutputTokens = 1_000 }, Now)!;

        Assert.Equal(1.5225m, cost.TotalUsd);
    }

    [Fact]
    public void PriceInForce_FollowsEffectiveDates()
    {
        var usage = new TraceUsage { InputTokens = 1000, OutputTokens = 100 };

        Assert.Equal(0.0065m, Prices.Cost("gpt-4o", usage, new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero))!.TotalUsd);
        Assert.Equal(0.0035m, Prices.Cost("gpt-4o", usage, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))!.TotalUsd);
        Assert.Equal(0.014m, Prices.Cost("o3", usage, new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero))!.TotalUsd);
        Assert.Equal(0.0028m, Prices.Cost("o3", usage, Now)!.TotalUsd);
    }

    [Theory]
    [InlineData("gpt-4o-2024-11-20", "gpt-4o")]
    [InlineData("gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("claude-sonnet-4-20250514", "claude-sonnet-4")]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [InlineData("claude-3-5-haiku-latest", "claude-3-5-haiku")]
    [InlineData("gpt-4.1-nano", "gpt-4.1-nano")]
    public void SnapshotNames_ArePricedAsTheirModel(string name, string priced) => Assert.Equal(priced, Prices.Find(name)!.Model);

    [Fact]
    public void UnknownModel_HasNoPrice() => Assert.Null(Prices.Cost("llama3.1", new TraceUsage { InputTokens = 1, OutputTokens = 1 }, Now));

    [Fact]
    public void ConfiguredPrice_OverridesTheTable()
    {
        var prices = PriceTableLoader.Load(new ObservabilityOptions
        {
            Prices = { ["gpt-4o"] = new ModelPriceOverride { Input = 1m, Output = 2m }, ["llama3.1"] = new ModelPriceOverride { Input = 0.1m, Output = 0.1m } },
        });

        Assert.Equal(0.0012m, prices.Cost("gpt-4o", new TraceUsage { InputTokens = 1000, OutputTokens = 100 }, Now)!.TotalUsd);
        Assert.Equal(0.00011m, prices.Cost("llama3.1", new TraceUsage { InputTokens = 1000, OutputTokens = 100 }, Now)!.TotalUsd);
    }
}

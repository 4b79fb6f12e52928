using AgentHost.Core.Errors;
using AgentHost.Core.Retrieval;
using AgentHost.Retrieval.Tests.Support;

namespace AgentHost.Retrieval.Tests.Search;

public sealed class FusionTests
{
    // "keyword" has all the query's words without its meaning; "meaning" paraphrases it and shares one word, so both
    // appear in both rankings, in opposite orders, and the weights decide.
    private const string Query = "automobile engine repair";

    private static async Task<RetrievalHarness> DisagreeingAsync()
    {
        var harness = new RetrievalHarness();
        await harness.AddAsync("vs", "keyword", "Poetry archive, subject index: sonnets, moonlight, automobile, roses, ballads, engine, odes about the sea, haiku, repair of the heart, love letters and lullabies.");
        await harness.AddAsync("vs", "meaning", "How to repair a car motor: replacing the spark plugs and the timing belt of a vehicle.");
        await harness.AddAsync("vs", "neither", "Recipes for a lemon cake with vanilla frosting.");
        return harness;
    }

    [Fact]
    public async Task TextWeightOnly_RanksByKeywords_EmbeddingWeightOnly_ByMeaning()
    {
        await using var harness = await DisagreeingAsync();

        var text = await harness.SearchAsync("vs", Query, weights: new HybridWeights(0, 1));
        var dense = await harness.SearchAsync("vs", Query, weights: new HybridWeights(1, 0));

        Assert.Equal("keyword", text[0].FileId);
        Assert.Equal("meaning", dense[0].FileId);
    }

    [Fact]
    public async Task ShiftingWeight_ShiftsTheTopResult()
    {
        await using var harness = await DisagreeingAsync();

        var mostlyText = await harness.SearchAsync("vs", Query, weights: new HybridWeights(0.2, 0.8));
        var mostlyDense = await harness.SearchAsync("vs", Query, weights: new HybridWeights(0.8, 0.2));

        Assert.Equal("keyword", mostlyText[0].FileId);
        Assert.Equal("meaning", mostlyDense[0].FileId);
    }

    [Fact]
    public async Task FirstInBothRankings_ScoresOne()
    {
        await using var harness = new RetrievalHarness();
        await harness.AddAsync("vs", "match", "Photosynthesis converts light into chemical energy in plants.");
        await harness.AddAsync("vs", "other", "Tax forms are due in April.");

        var hits = await harness.SearchAsync("vs", "photosynthesis in plants");

        Assert.Equal("match", hits[0].FileId);
        Assert.Equal(1.0, hits[0].Score, 6);
        Assert.True(hits.Count == 1 || hits[1].Score < 1);
    }

    [Fact]
    public async Task ScoreThreshold_DropsWeakerHits()
    {
        await using var harness = await HybridSearchTests.SeededAsync();

        var all = await harness.SearchAsync("vs", "interest rates and markets");
        var strong = await harness.SearchAsync("vs", "interest rates and markets", threshold: 0.9);

        Assert.True(all.Count > strong.Count);
        Assert.NotEmpty(strong);
        Assert.All(strong, h => Assert.True(h.Score >= 0.9));
    }

    [Fact]
    public async Task MaxNumResults_LimitsTheHits()
    {
        await using var harness = await HybridSearchTests.SeededAsync();

        var hits = await harness.SearchAsync("vs", "anything at all", max: 2);

        Assert.Equal(2, hits.Count);
    }

    [Fact]
    public async Task SeveralQueries_FuseTheirResults()
    {
        await using var harness = await HybridSearchTests.SeededAsync();

        var hits = await harness.Index.SearchAsync(new SearchRequest(["vs"], ["kitten", "pasta sauce recipe"], 2), CancellationToken.None);

        Assert.Equal(["cats", "cooking"], hits.Select(h => h.FileId).Order());
    }

    [Theory]
    [InlineData(-0.1, 1.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(double.NaN, 1.0)]
    public async Task InvalidWeights_AreRejected(double embedding, double text)
    {
        await using var harness = await HybridSearchTests.SeededAsync();

        var error = await Assert.ThrowsAsync<ApiException>(() => harness.SearchAsync("vs", "cats", weights: new HybridWeights(embedding, text)));

        Assert.Equal("ranking_options.hybrid_search", error.Param);
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(51, 0.0)]
    [InlineData(10, 1.5)]
    public async Task InvalidLimits_AreRejected(int max, double threshold)
    {
        await using var harness = new RetrievalHarness();

        await Assert.ThrowsAsync<ApiException>(() => harness.SearchAsync("vs", "cats", max: max, threshold: threshold));
    }
}

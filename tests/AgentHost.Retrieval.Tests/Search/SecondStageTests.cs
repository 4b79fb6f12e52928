using AgentHost.Core.Retrieval;
using AgentHost.Retrieval.Index;
using AgentHost.Retrieval.Search;
using AgentHost.Retrieval.Text;

namespace AgentHost.Retrieval.Tests.Search;

public sealed class SecondStageTests
{
    private const int Dimensions = 8;

    /// <summary>
    /// A crafted store for the query "apple" (vector = axis 0): "close" is the nearest vector but mentions the word
    /// once in a long text; "exact" is nearly as near and the best keyword match. Rank fusion only sees ranks — close is
    /// first in dense and third in BM25, exact second and first — so it keeps close on top; the exact scores show that
    /// close's dense lead is tiny and exact's keyword lead large.
    /// </summary>
    private static StoreIndex Crafted()
    {
        var store = new StoreIndex("crafted", Dimensions);
        Add(store, "close", "An apple stand by the road also sold bread, cheese, honey, firewood, eggs, jam and cut flowers.", cosine: 0.95, axis: 1);
        Add(store, "exact", "apple apple orchard", cosine: 0.90, axis: 2);
        Add(store, "second", "apple apple orchard harvest season", cosine: 0.50, axis: 3);
        Add(store, "far", "quantum physics lecture notes", cosine: 0.10, axis: 4);
        return store;
    }

    [Fact]
    public void SecondStage_On_PutsTheExactMatchFirst_Off_KeepsTheFusedOrder()
    {
        var store = Crafted();
        var query = Axis(1.0, 1);
        var terms = TermAnalyzer.Terms("apple");
        var weights = new FusionWeights(RankingDefaults.EmbeddingWeight, RankingDefaults.TextWeight);

        var fused = store.Search(query, terms, weights, 100, null, secondStage: null);
        var rescored = store.Search(query, terms, weights, 100, null, new SecondStage(RankingDefaults.SecondStageEmbeddingWeight, 50));

        Assert.Equal(["close", "exact", "second", "far"], fused.Select(c => c.File.FileId));
        Assert.Equal(["exact", "close", "second", "far"], rescored.Select(c => c.File.FileId));
        Assert.All(rescored, c => Assert.InRange(c.Score, 0, 1));
        Assert.Equal(rescored.Select(c => c.Score).OrderDescending(), rescored.Select(c => c.Score));
    }

    [Theory]
    [InlineData(null, null, 0.6)]
    [InlineData("auto", null, 0.6)]
    [InlineData("default-2024-11-15", null, 0.6)]
    [InlineData("none", null, null)]
    [InlineData(null, "1,0", null)]
    [InlineData(null, "0,1", null)]
    [InlineData(null, "3,1", 0.75)]
    public void Plan_UsesTheSecondStage_UnlessRankerIsNoneOrOneRankingIsOff(string? ranker, string? weights, double? expected)
    {
        var hybrid = weights?.Split(',').Select(double.Parse).ToArray() is { } w ? new HybridWeights(w[0], w[1]) : null;

        var plan = SearchPlan.From(new SearchRequest(["vs"], ["q"], 10, 0, hybrid, null, ranker), new RetrievalOptions());

        Assert.Equal(expected, plan.SecondStage?.EmbeddingWeight);
    }

    private static void Add(StoreIndex store, string fileId, string text, double cosine, int axis) =>
        store.AddFile(fileId, fileId + ".txt", new Dictionary<string, object?>(), [new IndexedChunk(0, text, 20, Axis(cosine, axis))]);

    /// <summary>A unit vector at <paramref name="cosine"/> to axis 0, leaning towards <paramref name="axis"/>.</summary>
    private static float[] Axis(double cosine, int axis)
    {
        var vector = new float[Dimensions];
        vector[0] = (float)cosine;
        vector[axis] = (float)Math.Sqrt(1 - (cosine * cosine));
        return vector;
    }
}

using AgentHost.Core.Retrieval;
using AgentHost.Retrieval.Tests.Support;

namespace AgentHost.Retrieval.Tests.Search;

public sealed class Bm25Tests
{
    private static readonly HybridWeights TextOnly = new(0, 1);

    [Fact]
    public async Task MoreOccurrences_RankHigher()
    {
        await using var harness = new RetrievalHarness();
        await harness.AddAsync("vs", "once", "The library catalogue lists one journal among many other books and maps.");
        await harness.AddAsync("vs", "thrice", "Journal indexing: each journal abstract and every journal title is indexed.");
        await harness.AddAsync("vs", "none", "Weather reports describe rain over the northern hills.");

        var hits = await harness.SearchAsync("vs", "journal", weights: TextOnly);

        Assert.Equal(["thrice", "once"], hits.Select(h => h.FileId));
    }

    [Fact]
    public async Task RareTerms_OutweighCommonOnes()
    {
        await using var harness = new RetrievalHarness();
        await harness.AddAsync("vs", "common-1", "system design notes for the system team");
        await harness.AddAsync("vs", "common-2", "system upgrade plan and system rollout");
        await harness.AddAsync("vs", "common-3", "system logs are rotated nightly by the system");
        await harness.AddAsync("vs", "rare", "thesaurus construction methods");

        var hits = await harness.SearchAsync("vs", "system thesaurus", weights: TextOnly);

        Assert.Equal("rare", hits[0].FileId);
        Assert.Equal(4, hits.Count);
    }

    [Fact]
    public async Task Plurals_MatchSingulars()
    {
        await using var harness = new RetrievalHarness();
        await harness.AddAsync("vs", "queries", "Users issue queries against indexes.");
        await harness.AddAsync("vs", "other", "Nothing relevant here at all.");

        var hits = await harness.SearchAsync("vs", "query index", weights: TextOnly);

        Assert.Equal("queries", Assert.Single(hits).FileId);
    }
}

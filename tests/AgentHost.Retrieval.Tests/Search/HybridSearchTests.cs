using AgentHost.Core.Retrieval;
using AgentHost.Retrieval.Tests.Support;

namespace AgentHost.Retrieval.Tests.Search;

public sealed class HybridSearchTests
{
    private static readonly Dictionary<string, string> Corpus = new()
    {
        ["cats"] = "Cats are small domesticated felines that purr and hunt mice around the farm.",
        ["stocks"] = "The central bank raised interest rates, and equity markets fell sharply on Tuesday.",
        ["cooking"] = "Simmer the tomatoes with garlic and basil for twenty minutes to make a pasta sauce.",
        ["rockets"] = "The launch vehicle reached orbit after its second stage engine burned for six minutes.",
        ["serial"] = "Error code ZX-4471 appears when the device firmware checksum does not match.",
    };

    [Fact]
    public async Task DenseSearch_FindsAParaphraseThatSharesNoWords()
    {
        await using var harness = await SeededAsync();

        var text = await harness.SearchAsync("vs", "kitten", weights: new HybridWeights(0, 1));
        var hybrid = await harness.SearchAsync("vs", "kitten");

        Assert.Empty(text);
        Assert.Equal("cats", hybrid[0].FileId);
    }

    [Fact]
    public async Task TextSearch_FindsAnExactIdentifier()
    {
        await using var harness = await SeededAsync();

        var hits = await harness.SearchAsync("vs", "ZX-4471", weights: new HybridWeights(0, 1));

        Assert.Equal("serial", Assert.Single(hits).FileId);
    }

    [Fact]
    public async Task Scores_AreBetweenZeroAndOne_BestFirst()
    {
        await using var harness = await SeededAsync();

        var hits = await harness.SearchAsync("vs", "spaceflight to orbit");

        Assert.Equal("rockets", hits[0].FileId);
        Assert.All(hits, h => Assert.InRange(h.Score, 0, 1));
        Assert.Equal(hits.OrderByDescending(h => h.Score).Select(h => h.FileId), hits.Select(h => h.FileId));
        Assert.Contains("launch vehicle", hits[0].Text, StringComparison.Ordinal);
    }

    internal static async Task<RetrievalHarness> SeededAsync()
    {
        var harness = new RetrievalHarness();
        foreach (var (id, text) in Corpus)
        {
            await harness.AddAsync("vs", id, text);
        }

        return harness;
    }
}

using AgentHost.Core.Errors;
using AgentHost.Core.Retrieval;
using AgentHost.Retrieval.Tests.Search;
using AgentHost.Retrieval.Tests.Support;

namespace AgentHost.Retrieval.Tests.Index;

public sealed class PersistenceTests
{
    [Fact]
    public async Task Chunks_SurviveAReopen()
    {
        await using var harness = await HybridSearchTests.SeededAsync();
        await harness.Index.UpdateAttributesAsync("vs", "cats", new Dictionary<string, object?> { ["kind"] = "pet" }, CancellationToken.None);
        var before = await harness.SearchAsync("vs", "kitten");

        harness.Reopen();
        var after = await harness.SearchAsync("vs", "kitten");

        Assert.Equal(before.Select(h => (h.FileId, h.ChunkIndex, h.Text)), after.Select(h => (h.FileId, h.ChunkIndex, h.Text)));
        Assert.Equal(before.Select(h => h.Score), after.Select(h => h.Score), (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal("pet", after.Single(h => h.FileId == "cats").Attributes["kind"]);
    }

    [Fact]
    public async Task StoredTerms_LoadAsAnalysedText_IncludingNonAsciiTerms()
    {
        await using var harness = await HybridSearchTests.SeededAsync();
        await harness.AddAsync("vs", "cafe", "Le café crème coûte trois euros à Zürich.");
        var before = await harness.SearchAsync("vs", "café Zürich", weights: new HybridWeights(0, 1));

        harness.Reopen();
        var after = await harness.SearchAsync("vs", "café Zürich", weights: new HybridWeights(0, 1));

        Assert.Equal("cafe", before[0].FileId);
        Assert.Equal("cafe", after[0].FileId);
        Assert.Equal(before.Select(h => h.Score).Order(), after.Select(h => h.Score).Order(), (x, y) => Math.Abs(x - y) < 1e-9);
    }

    [Fact]
    public async Task ChunksWrittenBeforeTheIndexTable_StillLoad()
    {
        await using var harness = await HybridSearchTests.SeededAsync();
        var before = await harness.SearchAsync("vs", "kitten", max: 50);

        // As a version before retrieval_chunk_index wrote them: chunks only, for one file.
        await harness.ExecuteAsync("DELETE FROM retrieval_chunk_index WHERE file_id = 'cats'");
        harness.Reopen();
        var after = await harness.SearchAsync("vs", "kitten", max: 50);

        Assert.Contains(before, h => h.FileId == "cats");
        Assert.Equal(before.Select(h => (h.FileId, h.ChunkIndex)).Order(), after.Select(h => (h.FileId, h.ChunkIndex)).Order());
        Assert.Equal(before.Select(h => h.Score).Order(), after.Select(h => h.Score).Order(), (x, y) => Math.Abs(x - y) < 1e-6);
    }

    [Fact]
    public async Task IndexingAFileAgain_ReplacesItsChunks()
    {
        await using var harness = await HybridSearchTests.SeededAsync();

        var indexed = await harness.AddAsync("vs", "cats", "Volcanoes erupt molten lava and ash.");
        harness.Reopen();
        var cats = await harness.SearchAsync("vs", "purring feline", weights: new HybridWeights(0, 1));
        var lava = await harness.SearchAsync("vs", "lava");

        Assert.Equal(1, indexed.ChunkCount);
        Assert.DoesNotContain(cats, h => h.FileId == "cats");
        Assert.Equal("cats", lava[0].FileId);
        Assert.Single(lava, h => h.FileId == "cats");
    }

    [Fact]
    public async Task RemovedFile_IsGoneNowAndAfterReopen()
    {
        await using var harness = await HybridSearchTests.SeededAsync();

        await harness.Index.RemoveFileAsync("vs", "rockets", CancellationToken.None);
        var now = await harness.SearchAsync("vs", "orbit launch", max: 50);
        harness.Reopen();
        var later = await harness.SearchAsync("vs", "orbit launch", max: 50);

        Assert.Equal(4, now.Count);
        Assert.DoesNotContain(now, h => h.FileId == "rockets");
        Assert.Equal(now.Select(h => h.FileId), later.Select(h => h.FileId));
    }

    [Fact]
    public async Task DeletedStore_HasNoChunks_OtherStoresKeepTheirs()
    {
        await using var harness = await HybridSearchTests.SeededAsync();
        await harness.AddAsync("other", "note", "Cats sleep most of the day.");

        await harness.Index.DeleteStoreAsync("vs", CancellationToken.None);
        harness.Reopen();

        Assert.Empty(await harness.SearchAsync("vs", "cats"));
        Assert.Equal("note", Assert.Single(await harness.SearchAsync("other", "cats")).FileId);
    }

    [Fact]
    public async Task Search_AcrossStores_MergesByScore()
    {
        await using var harness = await HybridSearchTests.SeededAsync();
        await harness.AddAsync("other", "note", "Kittens and cats purr when they are content.");

        var hits = await harness.Index.SearchAsync(new SearchRequest(["vs", "other"], ["cats purring"], 10), CancellationToken.None);

        Assert.Contains(hits, h => h.VectorStoreId == "other" && h.FileId == "note");
        Assert.Contains(hits, h => h.VectorStoreId == "vs" && h.FileId == "cats");
        Assert.Equal(hits.OrderByDescending(h => h.Score).Select(h => h.FileId), hits.Select(h => h.FileId));
    }

    [Fact]
    public async Task IndexedFile_ReportsChunksUsageAndTheResolvedStrategy()
    {
        await using var harness = new RetrievalHarness();
        var text = Chunking.TextChunkerTests.LongText(100);

        var indexed = await harness.AddAsync("vs", "long", text, chunking: new ChunkingStrategy("static", 100, 20));
        var auto = await harness.AddAsync("vs", "auto", text);

        Assert.Equal(new ChunkingStrategy("static", 100, 20), indexed.Chunking);
        Assert.Equal(new ChunkingStrategy("static", 200, 50), auto.Chunking);
        Assert.True(indexed.ChunkCount > auto.ChunkCount);
        Assert.True(indexed.UsageBytes > text.Length + (indexed.ChunkCount * 384 * 4));
    }

    [Fact]
    public async Task UnknownEmbeddingModel_IsRejectedAndNothingIsWritten()
    {
        await using var harness = new RetrievalHarness();

        var error = await Assert.ThrowsAsync<ApiException>(() => harness.AddAsync("vs", "f", "text", model: "no-such-model"));
        harness.Reopen();

        Assert.Contains("no-such-model", error.Message, StringComparison.Ordinal);
        Assert.Empty(await harness.SearchAsync("vs", "text"));
    }
}

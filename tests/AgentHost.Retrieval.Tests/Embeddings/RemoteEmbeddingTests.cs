using AgentHost.Core.Errors;
using AgentHost.Core.Retrieval;
using AgentHost.Retrieval.Tests.Support;

namespace AgentHost.Retrieval.Tests.Embeddings;

public sealed class RemoteEmbeddingTests : IAsyncLifetime
{
    private EmbeddingsUpstream upstream = null!;
    private RetrievalHarness harness = null!;

    public async Task InitializeAsync()
    {
        upstream = await EmbeddingsUpstream.StartAsync();
        var options = new RetrievalOptions();
        options.Models["team-embed"] = new EmbeddingModelOptions
        {
            BaseUrl = upstream.BaseUrl,
            ApiKey = "sk-test",
            Model = "upstream-embed-small",
            Dimensions = EmbeddingsUpstream.Dimensions,
        };
        harness = new RetrievalHarness(options);
    }

    public async Task DisposeAsync()
    {
        await harness.DisposeAsync();
        await upstream.DisposeAsync();
    }

    [Fact]
    public async Task Indexing_SendsChunksToTheConfiguredEndpoint()
    {
        var indexed = await harness.AddAsync("vs", "f1", "Red apples grow on trees.", model: "team-embed");

        var (path, authorization, body) = Assert.Single(upstream.Requests);
        Assert.Equal("/v1/embeddings", path);
        Assert.Equal("Bearer sk-test", authorization);
        Assert.Equal("upstream-embed-small", body["model"]!.GetValue<string>());
        Assert.Equal(EmbeddingsUpstream.Dimensions, body["dimensions"]!.GetValue<int>());
        Assert.Equal(1, indexed.ChunkCount);
        Assert.Equal(new ChunkingStrategy("static", 800, 400), indexed.Chunking);
    }

    [Fact]
    public async Task Search_EmbedsTheQueryWithTheStoresModel_EvenAfterReopen()
    {
        await harness.AddAsync("vs", "fruit", "red apples and ripe pears", model: "team-embed");
        await harness.AddAsync("vs", "tools", "hammer nails and saw", model: "team-embed");
        harness.Reopen();

        var hits = await harness.SearchAsync("vs", "apples pears", weights: new HybridWeights(1, 0));

        Assert.Equal("fruit", hits[0].FileId);
        var query = upstream.Requests[^1].Body;
        Assert.Equal("upstream-embed-small", query["model"]!.GetValue<string>());
        Assert.Contains("apples pears", query["input"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddingAFileWithAnotherModel_ToAStoreWithFiles_IsRejected()
    {
        await harness.AddAsync("vs", "fruit", "red apples and ripe pears", model: "team-embed");

        var error = await Assert.ThrowsAsync<ApiException>(() => harness.AddAsync("vs", "local", "a local file"));

        Assert.Contains("team-embed", error.Message, StringComparison.Ordinal);
        Assert.Equal("fruit", Assert.Single(await harness.SearchAsync("vs", "apples", weights: new HybridWeights(1, 0)), h => h.FileId == "fruit").FileId);
    }

    [Fact]
    public async Task UpstreamFailure_Surfaces_AndNothingIsWritten()
    {
        await upstream.DisposeAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => harness.AddAsync("vs", "f1", "text that cannot be embedded", model: "team-embed"));
        harness.Reopen();

        Assert.Empty(await harness.SearchAsync("vs", "text"));
    }
}

using AgentHost.Core.Retrieval;
using AgentHost.Retrieval.Embeddings;
using AgentHost.Retrieval.Tests.Support;
using Microsoft.Extensions.Options;

namespace AgentHost.Retrieval.Tests.Embeddings;

public sealed class LocalModelTests
{
    private const string Arctic = "snowflake-arctic-embed-xs";
    private const string MiniLm = "all-MiniLM-L6-v2";

    [Fact]
    public async Task EachStoreKeepsItsModel_AfterAReopen()
    {
        await using var harness = new RetrievalHarness();
        foreach (var (store, model) in new[] { ("vs_mini", MiniLm), ("vs_arctic", Arctic) })
        {
            await harness.AddAsync(store, "sea", "Tides rise and fall twice a day because of the moon's gravity.", model: model);
            await harness.AddAsync(store, "bake", "Bread dough rises when yeast ferments its sugars.", model: model);
        }

        var before = new[] { await harness.SearchAsync("vs_mini", "why does the sea rise"), await harness.SearchAsync("vs_arctic", "why does the sea rise") };

        harness.Reopen();
        var index = (VectorStoreIndex)harness.Index;
        var after = new[] { await harness.SearchAsync("vs_mini", "why does the sea rise"), await harness.SearchAsync("vs_arctic", "why does the sea rise") };

        Assert.Equal(MiniLm, (await index.GetStoreAsync("vs_mini", CancellationToken.None))!.ModelName);
        Assert.Equal(Arctic, (await index.GetStoreAsync("vs_arctic", CancellationToken.None))!.ModelName);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("sea", after[i][0].FileId);
            Assert.Equal(before[i].Select(h => (h.FileId, h.Score)), after[i].Select(h => (h.FileId, h.Score)));
        }
    }

    [Fact]
    public async Task AddingAFileWithAnotherModel_ToAStoreWithFiles_IsRejected()
    {
        await using var harness = new RetrievalHarness();
        await harness.AddAsync("vs", "a", "Tides follow the moon.", model: MiniLm);

        var error = await Assert.ThrowsAsync<AgentHost.Core.Errors.ApiException>(() => harness.AddAsync("vs", "b", "Yeast ferments sugar.", model: Arctic));

        Assert.Equal("embedding_model", error.Param);
    }

    [Fact]
    public void NewStores_GetTheConfiguredDefault_AndStoresThatRecordedNoModelAreMiniLm()
    {
        using var defaults = new EmbeddingModels(Options.Create(new RetrievalOptions()));
        using var configured = new EmbeddingModels(Options.Create(new RetrievalOptions { DefaultEmbeddingModel = Arctic }));

        Assert.Equal(MiniLm, defaults.Default.Name);
        Assert.Equal(Arctic, configured.Default.Name);
        Assert.Equal(MiniLm, defaults.Resolve(null).Name);
        Assert.Throws<OptionsValidationException>(() => new EmbeddingModels(Options.Create(new RetrievalOptions { DefaultEmbeddingModel = "nope" })));
    }

    [Fact]
    public async Task ArcticQueries_CarryTheQueryPrefix_AndDocumentsDoNot()
    {
        using var models = new EmbeddingModels(Options.Create(new RetrievalOptions()));
        var arctic = models.Resolve(Arctic);
        const string text = "how do tides work";

        var query = (await models.EmbedQueriesAsync(arctic, [text], CancellationToken.None))[0];
        var document = (await models.EmbedAsync(arctic, [text], CancellationToken.None))[0];
        var prefixed = (await models.EmbedAsync(arctic, [arctic.QueryPrefix + text], CancellationToken.None))[0];

        Assert.Equal(prefixed, query);
        Assert.NotEqual(document, query);
    }

    [Theory]
    [InlineData(MiniLm)]
    [InlineData(Arctic)]
    public async Task Batches_GiveTheSameVectorsAsOneTextAtATime(string name)
    {
        using var models = new EmbeddingModels(Options.Create(new RetrievalOptions { EmbeddingBatchSize = 3, EmbeddingBatchTokens = 64, EmbeddingInt8 = false }));
        var model = models.Resolve(name);
        string[] texts = ["short", "a somewhat longer sentence about tides and the moon", "mid length text here", string.Join(' ', Enumerable.Repeat("word", 40))];

        var together = await models.EmbedAsync(model, texts, CancellationToken.None);
        var alone = new List<float[]>();
        foreach (var text in texts)
        {
            alone.Add((await models.EmbedAsync(model, [text], CancellationToken.None))[0]);
        }

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(384, together[i].Length);
            Assert.True(System.Numerics.Tensors.TensorPrimitives.Dot(together[i], alone[i]) > 0.9999f, $"text {i} differs when batched");
        }
    }

    [Theory]
    [InlineData(MiniLm)]
    [InlineData(Arctic)]
    public async Task Int8Weights_GiveVectorsCloseToFloat32(string name)
    {
        using var float32 = new EmbeddingModels(Options.Create(new RetrievalOptions { EmbeddingInt8 = false }));
        using var int8 = new EmbeddingModels(Options.Create(new RetrievalOptions { EmbeddingInt8 = true }));
        string[] texts = ["Tides rise and fall twice a day because of the moon's gravity.", "Bread dough rises when yeast ferments its sugars.", "quantum"];

        var exact = await float32.EmbedAsync(float32.Resolve(name), texts, CancellationToken.None);
        var quantized = await int8.EmbedAsync(int8.Resolve(name), texts, CancellationToken.None);

        for (var i = 0; i < texts.Length; i++)
        {
            var cosine = System.Numerics.Tensors.TensorPrimitives.Dot(exact[i], quantized[i]);
            Assert.InRange(cosine, 0.98f, 1.0001f);
            Assert.True(cosine < 0.99999f, "int8 weights should not give float32's exact vectors");
        }
    }

    [Theory]
    [InlineData(MiniLm)]
    [InlineData(Arctic)]
    public void Int8Rewrite_MovesEveryWeightProductsBiasIntoTheKernel(string name)
    {
        var model = LocalModel.All.Single(m => m.Name == name);
        using var resource = model.OpenResource("model.onnx");
        using var bytes = new MemoryStream();
        resource.CopyTo(bytes);

        OnnxWeightQuantizer.Quantize(bytes.ToArray(), out var quantized, out var folded);

        // Six layers × (query, key, value, attention output, two feed-forward products), each followed by its bias Add.
        Assert.Equal(36, quantized);
        Assert.Equal(36, folded);
    }

    [Fact]
    public async Task DocumentsEmbeddedByManyCallersAtOnce_GetTheSameVectorsAsAlone()
    {
        using var models = new EmbeddingModels(Options.Create(new RetrievalOptions { EmbeddingRuns = 2, EmbeddingBatchTokens = 64 }));
        var model = models.Resolve(MiniLm);
        var files = Enumerable.Range(0, 8).Select(f => Enumerable.Range(0, 5).Select(c => $"file {f} chunk {c} about tides, yeast and the moon {new string('x', f + c)}").ToArray()).ToArray();

        var alone = new List<float[][]>();
        foreach (var file in files)
        {
            alone.Add(await models.EmbedAsync(model, file, CancellationToken.None));
        }

        var together = await Task.WhenAll(files.Select(file => Task.Run(() => models.EmbedAsync(model, file, CancellationToken.None))));

        for (var f = 0; f < files.Length; f++)
        {
            for (var c = 0; c < files[f].Length; c++)
            {
                Assert.Equal(alone[f][c], together[f][c]);
            }
        }
    }
}

using AgentHost.Core.Retrieval;

namespace AgentHost.Storage.Contracts;

/// <summary>What every <see cref="IChunkStore"/> must do: files replaced whole, rows read back exactly and in order.</summary>
public abstract class ChunkStoreContract<TFactory> : StoreContract<TFactory>
    where TFactory : IStoreFactory, new()
{
    private IChunkStore Chunks => Stores.Chunks;

    [StoreFact]
    public async Task ReplaceFile_ReadsBackEveryRowInOrder()
    {
        await Chunks.ReplaceFileAsync(File("vs_1", "file-b", 2), None);
        await Chunks.ReplaceFileAsync(File("vs_1", "file-a", 3), None);
        await Chunks.ReplaceFileAsync(File("vs_2", "file-a", 1), None);

        var files = await ToListAsync(Chunks.ReadFilesAsync("vs_1", None));
        var indexed = await ToListAsync(Chunks.ReadIndexedChunksAsync("vs_1", None));

        Assert.Equal(["vs_1", "vs_2"], await Chunks.StoreIdsAsync(None));
        Assert.Equal(new ChunkStoreModel("model-x", 4), await Chunks.GetModelAsync("vs_1", None));
        Assert.Equal([("file-b", "file-b.txt", """{"n":2}"""), ("file-a", "file-a.txt", """{"n":3}""")],
            files.Select(f => (f.FileId, f.Filename, f.AttributesJson)));
        Assert.Equal([("file-a", 0), ("file-a", 1), ("file-a", 2), ("file-b", 0), ("file-b", 1)], indexed.Select(c => (c.FileId, c.ChunkIndex)));
        var expected = Chunk(1);
        Assert.Equal((expected.TermTotal, expected.Scale), (indexed[1].TermTotal, indexed[1].Scale));
        Assert.Equal(expected.Codes, indexed[1].Codes);
        Assert.Equal(expected.Terms, indexed[1].Terms);
        Assert.Equal(5, await Chunks.CountChunksAsync("vs_1", None));
        Assert.Empty(await ToListAsync(Chunks.ReadUnindexedChunksAsync("vs_1", None)));
    }

    [StoreFact]
    public async Task ReplaceFile_DropsTheChunksTheFileHad()
    {
        await Chunks.ReplaceFileAsync(File("vs_1", "file-a", 3), None);

        await Chunks.ReplaceFileAsync(File("vs_1", "file-a", 1) with { EmbeddingModel = "model-y", Dimensions = 8 }, None);

        Assert.Equal(1, await Chunks.CountChunksAsync("vs_1", None));
        Assert.Equal(new ChunkStoreModel("model-y", 8), await Chunks.GetModelAsync("vs_1", None));
        Assert.Single(await ToListAsync(Chunks.ReadFilesAsync("vs_1", None)));
    }

    [StoreFact]
    public async Task Texts_AreFoundByFileAndIndex()
    {
        await Chunks.ReplaceFileAsync(File("vs_1", "file-a", 3), None);

        var texts = await Chunks.GetTextsAsync("vs_1", [("file-a", 2), ("file-a", 0), ("file-a", 9), ("file-z", 0)], None);

        Assert.Equal(new Dictionary<(string, int), string> { [("file-a", 2)] = "chunk 2 text", [("file-a", 0)] = "chunk 0 text" }, texts);
        Assert.Empty(await Chunks.GetTextsAsync("vs_2", [("file-a", 0)], None));
    }

    [StoreFact]
    public async Task RemoveUpdateAndDelete_TouchOnlyTheirTarget()
    {
        await Chunks.ReplaceFileAsync(File("vs_1", "file-a", 2), None);
        await Chunks.ReplaceFileAsync(File("vs_1", "file-b", 2), None);
        await Chunks.ReplaceFileAsync(File("vs_2", "file-a", 2), None);

        await Chunks.RemoveFileAsync("vs_1", "file-a", None);
        await Chunks.UpdateAttributesAsync("vs_1", "file-b", """{"n":7}""", None);
        await Chunks.DeleteStoreAsync("vs_2", None);

        Assert.Equal([("file-b", """{"n":7}""")], (await ToListAsync(Chunks.ReadFilesAsync("vs_1", None))).Select(f => (f.FileId, f.AttributesJson)));
        Assert.Equal(2, await Chunks.CountChunksAsync("vs_1", None));
        Assert.Null(await Chunks.GetModelAsync("vs_2", None));
        Assert.Equal(0, await Chunks.CountChunksAsync("vs_2", None));
        Assert.Equal(["vs_1"], await Chunks.StoreIdsAsync(None));
    }

    private static FileChunks File(string store, string file, int chunks) =>
        new(store, "model-x", 4, file, file + ".txt", $$"""{"n":{{chunks}}}""", [.. Enumerable.Range(0, chunks).Select(Chunk)]);

    private static ChunkWrite Chunk(int index) => new(index, $"chunk {index} text", 3 + index,
        BitConverter.GetBytes(0.5f + index).Concat(new byte[12]).ToArray(), 10 + index, 0.25f * (index + 1), [1, 2, (byte)index, 255], [(byte)index, 9, 9]);

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}

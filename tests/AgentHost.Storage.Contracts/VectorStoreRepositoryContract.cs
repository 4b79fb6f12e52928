using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Retrieval;
using AgentHost.Core.Storage;
using AgentHost.Core.VectorStores;

namespace AgentHost.Storage.Contracts;

/// <summary>What every <see cref="IVectorStoreRepository"/> must do: counts from files, batches, the ingestion queue, expiry.</summary>
public abstract class VectorStoreRepositoryContract<TFactory> : StoreContract<TFactory>
    where TFactory : IStoreFactory, new()
{
    private IVectorStoreRepository Repository => Stores.VectorStores;

    [StoreFact]
    public async Task Counts_FollowTheFilesOutcomes()
    {
        var store = NewStore();
        await Repository.CreateAsync(store, [NewFile("file-a"), NewFile("file-b"), NewFile("file-c")], None);
        Assert.Equal((new FileCounts(3, 0, 0, 0, 3), VectorStoreStatus.InProgress), await CountsAsync(store.Id));

        Assert.True(await Repository.FinishAsync(store.Id, "file-a", VectorStoreFileStatus.Completed, 100, null, null, None));
        Assert.True(await Repository.FinishAsync(store.Id, "file-b", VectorStoreFileStatus.Failed, 0, null,
            new VectorStoreFileError(IngestionErrorCodes.InvalidFile, "bad"), None));
        Assert.True(await Repository.RemoveFileAsync(store.Id, "file-c", None));
        Assert.False(await Repository.FinishAsync(store.Id, "file-c", VectorStoreFileStatus.Completed, 5, null, null, None));
        Assert.False(await Repository.FinishAsync(store.Id, "file-a", VectorStoreFileStatus.Completed, 5, null, null, None));

        var read = await Repository.GetAsync(store.Id, None);
        Assert.Equal((new FileCounts(0, 1, 1, 0, 2), VectorStoreStatus.Completed, 100L), (read!.FileCounts, read.Status, read.UsageBytes));
        Assert.Equal(IngestionErrorCodes.InvalidFile, (await Repository.GetFileAsync(store.Id, "file-b", None))?.LastError?.Code);
    }

    [StoreFact]
    public async Task Batch_CancelMarksItsPendingFilesCancelled()
    {
        var store = NewStore();
        await Repository.CreateAsync(store, [], None);
        var batch = new VectorStoreFileBatch { Id = IdGenerator.FileBatch(), CreatedAt = 1, VectorStoreId = store.Id };
        var added = await Repository.AddFilesAsync(store.Id, [NewFile("file-a"), NewFile("file-b")], batch, None);
        await Repository.FinishAsync(store.Id, "file-a", VectorStoreFileStatus.Completed, 10, null, null, None);

        var cancelled = await Repository.CancelBatchAsync(store.Id, batch.Id, None);

        Assert.Equal(["file-a", "file-b"], added.Select(f => f.Id));
        Assert.Equal((VectorStoreFileStatus.Cancelled, new FileCounts(0, 1, 0, 1, 2)), (cancelled!.Status, cancelled.FileCounts));
        Assert.Equal(["file-b"], (await Repository.ListFilesAsync(store.Id, batch.Id, VectorStoreFileStatus.Cancelled, ListQuery.Default, None)).Data.Select(f => f.Id));
        Assert.Null(await Repository.CancelBatchAsync(store.Id, "vsfb_missing", None));
        Assert.Null(await Repository.GetBatchAsync("vs_other", batch.Id, None));
    }

    [StoreFact]
    public async Task Pending_IsOldestFirstSkippingExcludedFiles()
    {
        var first = NewStore();
        var second = NewStore();
        await Repository.CreateAsync(first, [NewFile("file-a"), NewFile("file-b")], None);
        await Repository.CreateAsync(second, [NewFile("file-a")], None);

        var pending = await Repository.PendingAsync(2, new HashSet<(string, string)> { (first.Id, "file-a") }, None);

        Assert.Equal([(first.Id, "file-b"), (second.Id, "file-a")], pending.Select(p => (p.VectorStoreId, p.FileId)));
        Assert.Equal("static", pending[0].Chunking.Type);
        Assert.Equal("v", pending[0].Attributes["k"].GetString());
    }

    [StoreFact]
    public async Task Files_ArePagedPerStoreEvenWhenIdsRepeatAcrossStores()
    {
        var first = NewStore();
        var second = NewStore();
        await Repository.CreateAsync(second, [NewFile("file-b"), NewFile("file-a")], None);
        await Repository.CreateAsync(first, [NewFile("file-a"), NewFile("file-b"), NewFile("file-c")], None);

        var page = await Repository.ListFilesAsync(first.Id, null, null, new ListQuery { Limit = 2, Ascending = true }, None);
        var next = await Repository.ListFilesAsync(first.Id, null, null, new ListQuery { Limit = 2, Ascending = true, After = "file-b" }, None);

        Assert.Equal((string.Join(",", new[] { "file-a", "file-b" }), true), (string.Join(",", page.Data.Select(f => f.Id)), page.HasMore));
        Assert.Equal((string.Join(",", new[] { "file-c" }), false), (string.Join(",", next.Data.Select(f => f.Id)), next.HasMore));
        Assert.Equal(new[] { first.Id, second.Id }.Order(StringComparer.Ordinal), (await Repository.StoresOfFileAsync("file-a", None)).Order(StringComparer.Ordinal));
    }

    [StoreFact]
    public async Task AddingAFileAgain_RestartsItsIngestion()
    {
        var store = NewStore();
        await Repository.CreateAsync(store, [NewFile("file-a")], None);
        await Repository.FinishAsync(store.Id, "file-a", VectorStoreFileStatus.Completed, 10, null, null, None);

        await Repository.AddFilesAsync(store.Id, [NewFile("file-a")], null, None);

        Assert.Equal(VectorStoreFileStatus.InProgress, (await Repository.GetFileAsync(store.Id, "file-a", None))?.Status);
        Assert.Equal(new FileCounts(1, 0, 0, 0, 1), (await Repository.GetAsync(store.Id, None))?.FileCounts);
    }

    [StoreFact]
    public async Task Store_ExpiresByTheClockAndDeletesWithItsFiles()
    {
        var now = Time.GetUtcNow().ToUnixTimeSeconds();
        var store = NewStore() with { ExpiresAfter = new ExpiresAfter("last_active_at", 1), ExpiresAt = now + 86_400, LastActiveAt = now };
        await Repository.CreateAsync(store, [NewFile("file-a")], None);
        await Repository.UpdateAsync(store with { Name = "renamed" }, None);
        var attributes = new Dictionary<string, JsonElement> { ["n"] = JsonDocument.Parse("3").RootElement };
        Assert.Equal(3, (await Repository.UpdateAttributesAsync(store.Id, "file-a", attributes, None))?.Attributes["n"].GetInt32());
        Assert.Null(await Repository.UpdateAttributesAsync(store.Id, "file-missing", attributes, None));
        Assert.Equal(("renamed", VectorStoreStatus.InProgress), ((await Repository.GetAsync(store.Id, None))?.Name, (await Repository.GetAsync(store.Id, None))?.Status));

        Time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(VectorStoreStatus.Expired, (await Repository.GetAsync(store.Id, None))?.Status);
        Assert.True(await Repository.DeleteAsync(store.Id, None));
        Assert.Null(await Repository.GetAsync(store.Id, None));
        Assert.Null(await Repository.GetFileAsync(store.Id, "file-a", None));
        Assert.Empty(await Repository.StoresOfFileAsync("file-a", None));
        Assert.False(await Repository.DeleteAsync(store.Id, None));
    }

    [StoreFact]
    public async Task Stores_ArePagedNewestFirst()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var store = NewStore();
            await Repository.CreateAsync(store, [], None);
            ids.Add(store.Id);
        }

        var page = await Repository.ListAsync(new ListQuery { Limit = 2 }, None);

        Assert.Equal((string.Join(",", ids[2], ids[1]), true), (string.Join(",", page.Data.Select(s => s.Id)), page.HasMore));
    }

    private VectorStore NewStore() => new() { Id = IdGenerator.VectorStore(), CreatedAt = Time.GetUtcNow().ToUnixTimeSeconds() };

    private static NewVectorStoreFile NewFile(string id) =>
        new(id, new ChunkingStrategy("static", 300, 100), new Dictionary<string, JsonElement> { ["k"] = JsonDocument.Parse("\"v\"").RootElement });

    private async Task<(FileCounts, string)> CountsAsync(string id)
    {
        var store = await Repository.GetAsync(id, None);
        return (store!.FileCounts, store.Status);
    }
}

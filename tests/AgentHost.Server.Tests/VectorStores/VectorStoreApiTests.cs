using System.ClientModel;
using System.Text;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using OpenAI.Files;
using OpenAI.VectorStores;

namespace AgentHost.Server.Tests.VectorStores;

public sealed class VectorStoreApiTests
{
    [Fact]
    public async Task VectorStores_CreateModifyListFilesBatchesDelete_ThroughOfficialSdk()
    {
        // Ingestion off: files stay in_progress, so the batch can be cancelled and counts are exact.
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:FileSearch:IngestionConcurrency"] = "0" });
        var files = server.Files();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await files.UploadFileAsync(BinaryData.FromString($"file {i}"), $"f{i}.txt", FileUploadPurpose.Assistants)).Value.Id);
        }

        var client = server.VectorStores();
        VectorStore store = await client.CreateVectorStoreAsync(new VectorStoreCreationOptions
        {
            Name = "first",
            FileIds = { ids[0] },
            Metadata = { ["team"] = "search" },
            ExpirationPolicy = new VectorStoreExpirationPolicy(VectorStoreExpirationAnchor.LastActiveAt, 3),
        });
        VectorStore renamed = await client.ModifyVectorStoreAsync(store.Id, new VectorStoreModificationOptions { Name = "renamed" });
        VectorStoreFile added = await client.AddFileToVectorStoreAsync(store.Id, ids[1]);
        VectorStoreFileBatch batch = await client.AddFileBatchToVectorStoreAsync(store.Id, [ids[2]]);
        VectorStoreFileBatch cancelled = await client.CancelVectorStoreFileBatchAsync(store.Id, batch.BatchId);
        VectorStore counted = await client.GetVectorStoreAsync(store.Id);
        var listed = await client.GetVectorStoresAsync().ToListAsync();
        var removed = (await client.RemoveFileFromVectorStoreAsync(store.Id, ids[0])).Value;
        var deleted = (await client.DeleteVectorStoreAsync(store.Id)).Value;

        Assert.StartsWith("vs_", store.Id, StringComparison.Ordinal);
        Assert.Equal("search", store.Metadata["team"]);
        Assert.Equal(VectorStoreStatus.InProgress, store.Status);
        Assert.Equal(store.LastActiveAt!.Value.AddDays(3), store.ExpiresAt);
        Assert.Equal("renamed", renamed.Name);
        Assert.Equal(ids[1], added.FileId);
        Assert.Equal(VectorStoreFileStatus.InProgress, added.Status);
        Assert.Equal(1, batch.FileCounts.InProgress);
        Assert.Equal(VectorStoreFileBatchStatus.Cancelled, cancelled.Status);
        Assert.Equal(1, cancelled.FileCounts.Cancelled);
        Assert.Equal(3, counted.FileCounts.Total);
        Assert.Equal(2, counted.FileCounts.InProgress);
        Assert.Equal(1, counted.FileCounts.Cancelled);
        Assert.Contains(listed, s => s.Id == store.Id);
        Assert.True(removed.Removed);
        Assert.True(deleted.Deleted);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => client.GetVectorStoreAsync(store.Id))).Status);
    }

    [Theory]
    [InlineData("""{"chunking_strategy":{"type":"static","static":{"max_chunk_size_tokens":99,"chunk_overlap_tokens":0}}}""", "chunking_strategy.static.max_chunk_size_tokens")]
    [InlineData("""{"chunking_strategy":{"type":"static","static":{"max_chunk_size_tokens":4097,"chunk_overlap_tokens":0}}}""", "chunking_strategy.static.max_chunk_size_tokens")]
    [InlineData("""{"chunking_strategy":{"type":"static","static":{"max_chunk_size_tokens":800,"chunk_overlap_tokens":401}}}""", "chunking_strategy.static.chunk_overlap_tokens")]
    [InlineData("""{"chunking_strategy":{"type":"static"}}""", "chunking_strategy.static")]
    [InlineData("""{"chunking_strategy":{"type":"semantic"}}""", "chunking_strategy.type")]
    [InlineData("""{"expires_after":{"anchor":"last_active_at","days":0}}""", "expires_after.days")]
    [InlineData("""{"expires_after":{"anchor":"created_at","days":1}}""", "expires_after.anchor")]
    [InlineData("""{"embedding_model":"text-embedding-imaginary"}""", "embedding_model")]
    [InlineData("""{"file_ids":["file-doesnotexist"]}""", "file_id")]
    [InlineData("""{"colour":"blue"}""", "colour")]
    public async Task BadVectorStoreRequests_AreRefusedNamingTheParameter_AndNothingIsCreated(string body, string param)
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();

        using var response = await http.PostAsync("vector_stores", JsonBody.Of(body));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        using var stores = JsonDocument.Parse(await http.GetStringAsync("vector_stores"));

        Assert.InRange((int)response.StatusCode, 400, 404);
        Assert.Equal(param, error.RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal(0, stores.RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task UnknownIds_Answer404_AndBadFileRequestsAre400()
    {
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:FileSearch:IngestionConcurrency"] = "0" });
        using var http = server.Http();
        var file = await VectorStorePolling.UploadAsync(http, "a.txt", Encoding.UTF8.GetBytes("a"));
        using var store = await VectorStorePolling.PostAsync(http, "vector_stores", "{}");
        var id = store.RootElement.GetProperty("id").GetString();
        var tooMany = "{" + string.Join(",", Enumerable.Range(0, 17).Select(i => $"\"k{i}\":{i}")) + "}";

        using var unknownStore = await http.GetAsync("vector_stores/vs_nope");
        using var unknownStoreFile = await http.GetAsync($"vector_stores/{id}/files/{file}");
        using var unknownBatch = await http.GetAsync($"vector_stores/{id}/file_batches/vsfb_nope");
        using var badAttributes = await http.PostAsync($"vector_stores/{id}/files", JsonBody.Of($$"""{"file_id":"{{file}}","attributes":{{tooMany}}}"""));
        using var nestedAttribute = await http.PostAsync($"vector_stores/{id}/files", JsonBody.Of($$$$"""{"file_id":"{{{{file}}}}","attributes":{"a":{"b":1}}}"""));
        using var emptyBatch = await http.PostAsync($"vector_stores/{id}/file_batches", JsonBody.Of("""{"file_ids":[]}"""));
        using var noQuery = await http.PostAsync($"vector_stores/{id}/search", JsonBody.Of("{}"));
        using var badFilter = await http.GetAsync($"vector_stores/{id}/files?filter=done");

        using var message = JsonDocument.Parse(await unknownStore.Content.ReadAsStringAsync());
        Assert.Equal(404, (int)unknownStore.StatusCode);
        Assert.Equal("No vector store found with id 'vs_nope'.", message.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(404, (int)unknownStoreFile.StatusCode);
        Assert.Equal(404, (int)unknownBatch.StatusCode);
        Assert.Equal(400, (int)badAttributes.StatusCode);
        Assert.Equal(400, (int)nestedAttribute.StatusCode);
        Assert.Equal(400, (int)emptyBatch.StatusCode);
        Assert.Equal(400, (int)noQuery.StatusCode);
        Assert.Equal(400, (int)badFilter.StatusCode);
        using var files = JsonDocument.Parse(await http.GetStringAsync($"vector_stores/{id}/files"));
        Assert.Equal(0, files.RootElement.GetProperty("data").GetArrayLength());
    }
}

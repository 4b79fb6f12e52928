using System.Text;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using static AgentHost.Server.Tests.Support.VectorStorePolling;

namespace AgentHost.Server.Tests.VectorStores;

public sealed class EmbeddingModelTests
{
    private const string Arctic = "snowflake-arctic-embed-xs";
    private const string MiniLm = "all-MiniLM-L6-v2";

    [Fact]
    public async Task StoresRecordTheirModel_AndKeepItAfterARestartWithAnotherDefault()
    {
        var dataDir = Directory.CreateTempSubdirectory("agenthost-embedding-model-").FullName;
        try
        {
            string defaultStore, arcticStore;
            await using (var before = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:DataDir"] = dataDir }))
            {
                using var http = before.Http();
                var file = await UploadAsync(http, "tides.txt", Encoding.UTF8.GetBytes("Tides rise and fall twice a day because of the moon's gravity."));
                using var created = await PostAsync(http, "vector_stores", $$"""{"file_ids":["{{file}}"]}""");
                using var chosen = await PostAsync(http, "vector_stores", $$"""{"file_ids":["{{file}}"],"embedding_model":"{{Arctic}}"}""");
                defaultStore = created.RootElement.GetProperty("id").GetString()!;
                arcticStore = chosen.RootElement.GetProperty("id").GetString()!;
                Assert.False(created.RootElement.TryGetProperty("embedding_model", out _), "a MiniLM store keeps the original's shape");
                Assert.Equal(Arctic, chosen.RootElement.GetProperty("embedding_model").GetString());
                await WaitUntilIngestedAsync(http, defaultStore);
                await WaitUntilIngestedAsync(http, arcticStore);
            }

            // Restarted with arctic as the default: existing stores keep the model they were built with.
            await using var after = await AgentHostServer.StartAsync(settings: new()
            {
                ["AgentHost:DataDir"] = dataDir,
                ["AgentHost:Retrieval:DefaultEmbeddingModel"] = Arctic,
            });
            using var client = after.Http();
            using var store = JsonDocument.Parse(await client.GetStringAsync($"vector_stores/{defaultStore}"));
            using var created2 = await PostAsync(client, "vector_stores", "{}");

            Assert.False(store.RootElement.TryGetProperty("embedding_model", out _));
            Assert.Equal("tides.txt", await TopHitAsync(client, defaultStore));
            Assert.Equal("tides.txt", await TopHitAsync(client, arcticStore));
            Assert.Equal(Arctic, created2.RootElement.GetProperty("embedding_model").GetString());
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
                // SQLite may still hold the file briefly; the temp folder is the OS's to clean.
            }
        }
    }

    [Fact]
    public async Task UnknownDefaultModel_StopsStartWithAMessageNamingTheSetting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:Retrieval:DefaultEmbeddingModel"] = "no-such-model" });
            using var http = server.Http();
            await PostAsync(http, "vector_stores", "{}");
        });

        Assert.Contains("AgentHost:Retrieval:DefaultEmbeddingModel", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<string> TopHitAsync(HttpClient http, string storeId)
    {
        using var hits = await PostAsync(http, $"vector_stores/{storeId}/search",
            """{"query":"why does the sea level change","max_num_results":1,"ranking_options":{"hybrid_search":{"embedding_weight":1,"text_weight":0}}}""");
        return hits.RootElement.GetProperty("data")[0].GetProperty("filename").GetString()!;
    }
}

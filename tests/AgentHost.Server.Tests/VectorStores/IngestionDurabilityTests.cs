using System.Text;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using static AgentHost.Server.Tests.Support.VectorStorePolling;

namespace AgentHost.Server.Tests.VectorStores;

public sealed class IngestionDurabilityTests
{
    [Fact]
    public async Task StoreQueuedBeforeARestart_CompletesAfterIt_WithNothingLost()
    {
        var dataDir = Directory.CreateTempSubdirectory("agenthost-restart-").FullName;
        string storeId, first, second;
        try
        {
            // The first process takes the requests but ingests nothing (as if it died before getting to them).
            await using (var before = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:DataDir"] = dataDir, ["AgentHost:FileSearch:IngestionConcurrency"] = "0" }))
            {
                using var http = before.Http();
                first = await UploadAsync(http, "alpha.txt", Encoding.UTF8.GetBytes("Alpha centauri is the closest star system."));
                second = await UploadAsync(http, "beta.md", Encoding.UTF8.GetBytes("Beta blockers lower the heart rate."));
                using var created = await PostAsync(http, "vector_stores", $$"""{"file_ids":["{{first}}","{{second}}"]}""");
                storeId = created.RootElement.GetProperty("id").GetString()!;
                using var queued = JsonDocument.Parse(await http.GetStringAsync($"vector_stores/{storeId}"));
                Assert.Equal("in_progress", queued.RootElement.GetProperty("status").GetString());
                Assert.Equal(2, queued.RootElement.GetProperty("file_counts").GetProperty("in_progress").GetInt32());
            }

            await using var after = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:DataDir"] = dataDir });
            using var client = after.Http();
            var store = await WaitUntilIngestedAsync(client, storeId);
            using var hits = await PostAsync(client, $"vector_stores/{storeId}/search", """{"query":"heart rate","max_num_results":1}""");

            Assert.Equal("completed", store.GetProperty("status").GetString());
            Assert.Equal(2, store.GetProperty("file_counts").GetProperty("completed").GetInt32());
            Assert.Equal(second, hits.RootElement.GetProperty("data")[0].GetProperty("file_id").GetString());
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
}

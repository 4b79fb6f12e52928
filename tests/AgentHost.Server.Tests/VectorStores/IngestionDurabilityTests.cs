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

    [Fact]
    public async Task ProcessKilledMidIngestion_FileIsIngestedOnceAfterRestart()
    {
        var dataDir = Directory.CreateTempSubdirectory("agenthost-kill-ingest-").FullName;
        var port = ServerProcess.FreePort();
        var text = new StringBuilder();
        // About 360 chunks: seconds of embedding even on a fast machine, so the kill below lands before the end.
        for (var i = 0; i < 3000; i++)
        {
            text.Append("Line ").Append(i).Append(": measurement ").Append(i * 7).Append(" was logged by the ").Append(i % 2 == 0 ? "east" : "west").AppendLine(" station.");
            if (i == 450)
            {
                text.AppendLine("The harbour pass phrase is marlin7781.");
            }
        }

        const string Chunking = """{"type":"static","static":{"max_chunk_size_tokens":100,"chunk_overlap_tokens":0}}""";
        string storeId, fileId;
        try
        {
            using (var first = await ServerProcess.StartAsync(port, dataDir))
            {
                using var http = first.Http();
                fileId = await UploadAsync(http, "log.txt", Encoding.UTF8.GetBytes(text.ToString()));
                using var created = await PostAsync(http, "vector_stores", $$"""{"file_ids":["{{fileId}}"],"chunking_strategy":{{Chunking}}}""");
                storeId = created.RootElement.GetProperty("id").GetString()!;
                await Task.Delay(300); // the moment of the kill: the worker has had time to start; the check below shows it had not finished
                using var during = JsonDocument.Parse(await http.GetStringAsync($"vector_stores/{storeId}/files/{fileId}"));
                Assert.Equal("in_progress", during.RootElement.GetProperty("status").GetString());
                await first.KillAsync();
            }

            using var second = await ServerProcess.StartAsync(port, dataDir);
            using var client = second.Http();
            using var fresh = await PostAsync(client, "vector_stores", $$"""{"file_ids":["{{fileId}}"],"chunking_strategy":{{Chunking}}}""");
            // A fresh process loads the embedding model first; on a loaded CI machine that alone can take a minute.
            var store = await WaitUntilIngestedAsync(client, storeId, TimeSpan.FromMinutes(4));
            var reference = await WaitUntilIngestedAsync(client, fresh.RootElement.GetProperty("id").GetString()!, TimeSpan.FromMinutes(4));
            using var hits = await PostAsync(client, $"vector_stores/{storeId}/search", """{"query":"harbour pass phrase marlin7781","max_num_results":10}""");

            var counts = store.GetProperty("file_counts");
            Assert.Equal("completed", store.GetProperty("status").GetString());
            Assert.Equal((1, 0, 0, 1), (counts.GetProperty("completed").GetInt32(), counts.GetProperty("in_progress").GetInt32(), counts.GetProperty("failed").GetInt32(), counts.GetProperty("total").GetInt32()));
            // Same chunks as a store that ingested the file in one go: nothing doubled by the interrupted attempt.
            Assert.Equal(reference.GetProperty("usage_bytes").GetInt64(), store.GetProperty("usage_bytes").GetInt64());
            var withPhrase = hits.RootElement.GetProperty("data").EnumerateArray()
                .Where(h => h.GetProperty("content")[0].GetProperty("text").GetString()!.Contains("marlin7781", StringComparison.Ordinal)).ToList();
            Assert.Single(withPhrase);
            Assert.Equal(fileId, withPhrase[0].GetProperty("file_id").GetString());
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
                // The temp folder is the OS's to clean.
            }
        }
    }
}

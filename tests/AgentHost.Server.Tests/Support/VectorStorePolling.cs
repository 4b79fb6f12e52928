using System.Text.Json;

namespace AgentHost.Server.Tests.Support;

/// <summary>Waits for a vector store's ingestion to finish (a bound on waiting, not a timing assertion).</summary>
internal static class VectorStorePolling
{
    public static async Task<JsonElement> WaitUntilIngestedAsync(HttpClient http, string vectorStoreId, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            using var store = JsonDocument.Parse(await http.GetStringAsync($"vector_stores/{vectorStoreId}"));
            if (store.RootElement.GetProperty("file_counts").GetProperty("in_progress").GetInt32() == 0 || DateTime.UtcNow > deadline)
            {
                return store.RootElement.Clone();
            }

            await Task.Delay(50);
        }
    }

    public static async Task<string> UploadAsync(HttpClient http, string filename, byte[] bytes)
    {
        using var response = await http.PostAsync("files", Files.FileEndpointTests.Upload(filename, bytes, "assistants"));
        using var file = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return file.RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<JsonDocument> PostAsync(HttpClient http, string path, string body)
    {
        using var response = await http.PostAsync(path, JsonBody.Of(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {text}");
        return JsonDocument.Parse(text);
    }
}

using System.Text;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using static AgentHost.Server.Tests.Support.VectorStorePolling;

namespace AgentHost.Server.Tests.VectorStores;

public sealed class LlmRerankerTests : IAsyncLifetime
{
    private AgentHostServer server = null!;
    private HttpClient http = null!;
    private string storeId = null!;

    public async Task InitializeAsync()
    {
        server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:Retrieval:RerankerModel"] = "gpt-4o" });
        http = server.Http();
        var tides = await UploadAsync(http, "tides.txt", Encoding.UTF8.GetBytes("Tides rise and fall twice a day because of the moon's gravity."));
        var bread = await UploadAsync(http, "bread.txt", Encoding.UTF8.GetBytes("Bread dough rises when yeast ferments its sugars."));
        using var created = await PostAsync(http, "vector_stores", $$"""{"file_ids":["{{tides}}","{{bread}}"]}""");
        storeId = created.RootElement.GetProperty("id").GetString()!;
        await WaitUntilIngestedAsync(http, storeId);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task RankerLlm_AsksTheConfiguredModel_AndOrdersByItsGrades()
    {
        using var engine = await PostAsync(http, $"vector_stores/{storeId}/search", """{"query":"why does the sea rise","max_num_results":2}""");
        var engineOrder = Filenames(engine);
        // The scripted model grades the engine's second passage highest.
        server.Upstream.Enqueue(ScriptedTurn.Say("""{"grades":[{"id":0,"grade":2},{"id":1,"grade":9}]}"""));

        using var reranked = await PostAsync(http, $"vector_stores/{storeId}/search",
            """{"query":"why does the sea rise","max_num_results":2,"ranking_options":{"ranker":"llm"}}""");

        Assert.Equal(["tides.txt", "bread.txt"], engineOrder);
        Assert.Equal(["bread.txt", "tides.txt"], Filenames(reranked));
        Assert.Equal([0.9, 0.2], reranked.RootElement.GetProperty("data").EnumerateArray().Select(h => h.GetProperty("score").GetDouble()));
        var request = server.Upstream.Requests.Last();
        Assert.Equal("gpt-4o", request["model"]!.GetValue<string>());
        var prompt = request["messages"]!.ToJsonString();
        Assert.Contains("why does the sea rise", prompt, StringComparison.Ordinal);
        Assert.Contains("[0] Tides rise and fall", prompt, StringComparison.Ordinal);
        Assert.Contains("[1] Bread dough rises", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreadableReply_KeepsTheEnginesOrder()
    {
        server.Upstream.Enqueue(ScriptedTurn.Say("I think the first one is better."));

        using var reranked = await PostAsync(http, $"vector_stores/{storeId}/search",
            """{"query":"why does the sea rise","max_num_results":2,"ranking_options":{"ranker":"llm"}}""");

        Assert.Equal(["tides.txt", "bread.txt"], Filenames(reranked));
    }

    [Fact]
    public async Task RankerLlm_WithoutAConfiguredModel_Is400NamingTheSetting()
    {
        await using var plain = await AgentHostServer.StartAsync();
        using var client = plain.Http();
        using var created = await PostAsync(client, "vector_stores", "{}");
        var id = created.RootElement.GetProperty("id").GetString()!;

        using var response = await client.PostAsync($"vector_stores/{id}/search",
            new StringContent("""{"query":"x","ranking_options":{"ranker":"llm"}}""", Encoding.UTF8, "application/json"));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("ranking_options.ranker", error.RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Contains("AgentHost:Retrieval:RerankerModel", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static string[] Filenames(JsonDocument page) =>
        [.. page.RootElement.GetProperty("data").EnumerateArray().Select(h => h.GetProperty("filename").GetString()!)];
}

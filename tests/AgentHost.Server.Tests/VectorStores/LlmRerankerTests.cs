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
    public async Task TheSearchEndpointsRerankCall_IsUsageOfTheSearch_NotADirectCall()
    {
        server.Upstream.Enqueue(ScriptedTurn.Say("""{"grades":[{"id":0,"grade":2},{"id":1,"grade":9}]}""") with { PromptTokens = 1000, CompletionTokens = 100 });

        using var reranked = await PostAsync(http, $"vector_stores/{storeId}/search",
            """{"query":"why does the sea rise","max_num_results":2,"ranking_options":{"ranker":"llm"}}""");

        var byDoor = JsonDocument.Parse(await http.GetStringAsync("agenthost/usage?start_time=0&group_by=entry_point")).RootElement.GetProperty("data");
        var row = Assert.Single(byDoor.EnumerateArray());
        Assert.Equal("vector_store_search", row.GetProperty("key").GetString());
        Assert.Equal(1, row.GetProperty("model_calls").GetInt32());
        Assert.True(row.GetProperty("cost_usd").GetDecimal() > 0, "the reranker's call is priced");
    }

    [Fact]
    public async Task ARunsFileSearchRerankCall_IsPartOfTheRun_InItsProject()
    {
        await using var tenancy = await AgentHostServer.StartAsync(settings: new(Tenancy.TenancyAdmin.Settings())
        {
            ["AgentHost:Retrieval:RerankerModel"] = "gpt-4o",
        });
        using var admin = new Tenancy.TenancyAdmin(tenancy);
        var (_, keyA) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("A"));
        var (_, keyB) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("B"));
        using var a = Tenancy.TenancyAdmin.Client(tenancy, keyA);
        using var b = Tenancy.TenancyAdmin.Client(tenancy, keyB);
        var tides = await UploadAsync(a, "tides.txt", Encoding.UTF8.GetBytes("Tides rise and fall twice a day because of the moon's gravity."));
        var bread = await UploadAsync(a, "bread.txt", Encoding.UTF8.GetBytes("Bread dough rises when yeast ferments its sugars."));
        using var created = await PostAsync(a, "vector_stores", $$"""{"file_ids":["{{tides}}","{{bread}}"]}""");
        var store = created.RootElement.GetProperty("id").GetString()!;
        await WaitUntilIngestedAsync(a, store);
        using var assistant = await PostAsync(a, "assistants",
            """{"model":"gpt-4o","tools":[{"type":"file_search","file_search":{"ranking_options":{"ranker":"llm"}}}],"tool_resources":{"file_search":{"vector_store_ids":["""
            + "\"" + store + "\"]}}}");
        tenancy.Upstream.Enqueue(
            ScriptedTurn.Call(("call_sea", "file_search", """{"queries":["why does the sea rise"]}""")),
            ScriptedTurn.Say("""{"grades":[{"id":0,"grade":9},{"id":1,"grade":1}]}"""),
            ScriptedTurn.Say("The Moon."));
        using var thread = await PostAsync(a, "threads", """{"messages":[{"role":"user","content":"Why does the sea rise?"}]}""");
        var threadId = thread.RootElement.GetProperty("id").GetString()!;
        using var run = await PostAsync(a, $"threads/{threadId}/runs", $$"""{"assistant_id":"{{assistant.RootElement.GetProperty("id").GetString()}}"}""");
        var runId = run.RootElement.GetProperty("id").GetString()!;
        await WaitForRunAsync(a, threadId, runId);

        // The rerank call is the run's second of three, under the run and in project A; B sees none of them.
        var ofRun = JsonDocument.Parse(await a.GetStringAsync($"agenthost/usage?start_time=0&group_by=entry_point&run_id={runId}")).RootElement.GetProperty("data");
        var row = Assert.Single(ofRun.EnumerateArray());
        Assert.Equal(("assistants", 3), (row.GetProperty("key").GetString(), row.GetProperty("model_calls").GetInt32()));
        var ofB = JsonDocument.Parse(await b.GetStringAsync("agenthost/usage?start_time=0")).RootElement.GetProperty("data");
        Assert.Equal(0, ofB.EnumerateArray().Sum(r => r.GetProperty("model_calls").GetInt32()));
        var rerank = tenancy.Upstream.Requests.ElementAt(1)["messages"]!.ToJsonString();
        Assert.Contains("You grade passages", rerank, StringComparison.Ordinal);
    }

    private static async Task WaitForRunAsync(HttpClient client, string threadId, string runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var run = JsonDocument.Parse(await client.GetStringAsync($"threads/{threadId}/runs/{runId}"));
            var status = run.RootElement.GetProperty("status").GetString();
            if (status is "completed" or "failed" or "cancelled" or "expired" or "incomplete")
            {
                Assert.Equal("completed", status);
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"run {runId} still {status} after 60 s");
            await Task.Delay(50);
        }
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

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Server.Mcp;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentHost.Server.Tests.Mcp;

/// <summary>AgentHost's own MCP server at <c>/mcp</c>, driven by the official MCP C# client against the real server.</summary>
public sealed class McpEndpointTests
{
    private const string ApiKey = "sk-agenthost-mcp";

    [Fact]
    public async Task AnMcpClient_ListsTools_SearchesAVectorStore_AndAsksAnAssistant()
    {
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:ApiKey"] = ApiKey });
        using var http = AuthorizedHttp(server);
        var fileId = await VectorStorePolling.UploadAsync(http, "heron.md",
            Encoding.UTF8.GetBytes("# Project Heron\n\nThe launch code of Project Heron is TANGERINE-42. The launch is planned for spring.\n"));
        using var store = await VectorStorePolling.PostAsync(http, "vector_stores", $$"""{"name":"handbook","file_ids":["{{fileId}}"]}""");
        var storeId = store.RootElement.GetProperty("id").GetString()!;
        await VectorStorePolling.WaitUntilIngestedAsync(http, storeId);
        using var assistant = await VectorStorePolling.PostAsync(http, "assistants",
            """{"model":"gpt-4o","name":"Geographer","description":"Knows capitals.","instructions":"Answer in one word."}""");
        var assistantId = assistant.RootElement.GetProperty("id").GetString()!;
        server.Upstream.Enqueue(ScriptedTurn.Say("Paris.") with { PromptTokens = 1000, CompletionTokens = 100 });

        await using var client = await ConnectAsync(server, ApiKey);
        var tools = await client.ListToolsAsync();

        Assert.Equal(["file_search", "code_interpreter", assistantId], tools.Select(t => t.Name));
        Assert.Equal("Geographer", tools[2].ProtocolTool.Title);
        Assert.Contains("Knows capitals.", tools[2].Description, StringComparison.Ordinal);

        var search = await client.CallToolAsync("file_search", new Dictionary<string, object?> { ["vector_store"] = "handbook", ["query"] = "Heron launch code" });
        Assert.NotEqual(true, search.IsError);
        var results = search.StructuredContent!.Value.GetProperty("results");
        var top = results[0];
        Assert.Equal(storeId, search.StructuredContent!.Value.GetProperty("vector_store_id").GetString());
        Assert.Equal(fileId, top.GetProperty("file_id").GetString());
        Assert.Equal("heron.md", top.GetProperty("filename").GetString());
        Assert.InRange(top.GetProperty("score").GetDouble(), 0.0001, 1);
        Assert.Contains("TANGERINE-42", top.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("TANGERINE-42", Text(search), StringComparison.Ordinal);

        var asked = await client.CallToolAsync(assistantId, new Dictionary<string, object?> { ["message"] = "What is the capital of France?" });
        Assert.True(asked.IsError != true, Text(asked));
        Assert.Equal("Paris.", Text(asked));
        var answer = asked.StructuredContent!.Value;
        Assert.Equal("completed", answer.GetProperty("status").GetString());
        Assert.Contains("What is the capital of France?", server.Upstream.Requests.Last()["messages"]!.ToJsonString(), StringComparison.Ordinal);

        // The call is a run like any other: stored, marked, traced and priced.
        var threadId = answer.GetProperty("thread_id").GetString();
        var runId = answer.GetProperty("run_id").GetString();
        var run = JsonNode.Parse(await http.GetStringAsync($"threads/{threadId}/runs/{runId}"))!;
        Assert.Equal(assistantId, run["assistant_id"]!.GetValue<string>());
        Assert.Equal("mcp", run["metadata"]![AssistantMcpTool.SourceMetadataKey]!.GetValue<string>());
        var trace = JsonNode.Parse(await http.GetStringAsync($"threads/{threadId}/runs/{runId}/trace"))!;
        var modelCall = trace["spans"]!.AsArray().Single(s => s!["kind"]!.GetValue<string>() == "model_call")!;
        Assert.True(answer.GetProperty("cost_usd").GetDecimal() > 0, answer.ToString());
        Assert.Equal(1100, answer.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.NotNull(modelCall["cost"]);
    }

    [Fact]
    public async Task BadCalls_AreErrorsTheCallerCanReadAndAnUnknownToolIsAProtocolError()
    {
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:ApiKey"] = ApiKey });
        await using var client = await ConnectAsync(server, ApiKey);

        var noStore = await client.CallToolAsync("file_search", new Dictionary<string, object?> { ["vector_store"] = "nothing-here", ["query"] = "x" });
        var noQuery = await client.CallToolAsync("file_search", new Dictionary<string, object?> { ["vector_store"] = "nothing-here" });
        var noAssistant = await client.CallToolAsync("asst_missing", new Dictionary<string, object?> { ["message"] = "hi" });
        var unknown = await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(() => client.CallToolAsync("rm_rf", new Dictionary<string, object?>()).AsTask());

        Assert.True(noStore.IsError);
        Assert.Contains("no vector store with the id or name 'nothing-here'", Text(noStore), StringComparison.Ordinal);
        Assert.True(noQuery.IsError);
        Assert.Contains("'query'", Text(noQuery), StringComparison.Ordinal);
        Assert.True(noAssistant.IsError);
        Assert.Contains("asst_missing", Text(noAssistant), StringComparison.Ordinal);
        Assert.Contains("rm_rf", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongOrMissingKey_IsRefused()
    {
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:ApiKey"] = ApiKey });

        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(server, "sk-wrong"));
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(server, null));
        using var raw = new HttpClient();
        using var initialize = new HttpRequestMessage(HttpMethod.Post, McpUri(server))
        {
            Content = new StringContent(
                """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""",
                Encoding.UTF8, "application/json"),
        };
        initialize.Headers.Add("Accept", "application/json, text/event-stream");
        using var response = await raw.SendAsync(initialize);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_api_key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [RequiresFact("bwrap")]
    public async Task CodeInterpreter_KeepsStatePerMcpSession_AndStopsItsSandboxWhenTheSessionEnds()
    {
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:ApiKey"] = ApiKey });
        var sandboxes = server.Services.GetRequiredService<McpSandboxSessions>();

        await using (var client = await ConnectAsync(server, ApiKey))
        {
            Assert.NotNull(client.SessionId);
            var first = await client.CallToolAsync("code_interpreter", new Dictionary<string, object?>
            {
                ["code"] = "x = 41\nopen('/mnt/data/out.csv', 'w').write('a,b\\n1,2\\n')\nprint('set')",
            });
            var second = await client.CallToolAsync("code_interpreter", new Dictionary<string, object?> { ["code"] = "print(x + 1)" });

            Assert.True(first.IsError != true, Text(first));
            Assert.Contains("set", Text(first), StringComparison.Ordinal);
            var link = Assert.Single(first.Content.OfType<ResourceLinkBlock>());
            Assert.Equal("out.csv", link.Name);
            var fileId = first.StructuredContent!.Value.GetProperty("files")[0].GetProperty("file_id").GetString();
            using var http = AuthorizedHttp(server);
            Assert.Equal("a,b\n1,2\n", await http.GetStringAsync($"files/{fileId}/content"));
            Assert.Equal("42", Text(second).Trim());
            Assert.Equal(1, sandboxes.LiveSessions);
        }

        // Disposing the client ends its MCP session (DELETE /mcp), which stops the sandbox session.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (sandboxes.LiveSessions > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The sandbox session was not stopped when the MCP session ended.");
            await Task.Delay(20);
        }
    }

    [RequiresFact("bwrap")]
    public async Task CodeInterpreter_WithoutAnMcpSession_RunsEachCallInAFreshSandbox()
    {
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:ApiKey"] = ApiKey });
        await using var client = await ConnectAsync(server, ApiKey, protocolVersion: null);

        var set = await client.CallToolAsync("code_interpreter", new Dictionary<string, object?> { ["code"] = "y = 1\nprint('ok')" });
        var read = await client.CallToolAsync("code_interpreter", new Dictionary<string, object?> { ["code"] = "print(y)" });

        Assert.Null(client.SessionId);
        Assert.Contains("ok", Text(set), StringComparison.Ordinal);
        Assert.Contains("NameError", Text(read), StringComparison.Ordinal);
        Assert.Equal(0, server.Services.GetRequiredService<McpSandboxSessions>().LiveSessions);
    }

    /// <summary>The official client over streamable HTTP; by default on the 2025-11-25 revision, whose initialize handshake gives it an MCP session.</summary>
    private static Task<McpClient> ConnectAsync(AgentHostServer server, string? apiKey, string? protocolVersion = "2025-11-25")
    {
        var headers = new Dictionary<string, string>();
        if (apiKey is not null)
        {
            headers["Authorization"] = "Bearer " + apiKey;
        }

        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = McpUri(server),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers,
        });
        // On a loaded machine server/discover can take longer than the client's short default probe, after which the
        // client falls back to the initialize handshake (and gets a session): the probe waits as long as the handshake.
        return McpClient.CreateAsync(transport, new McpClientOptions
        {
            ProtocolVersion = protocolVersion,
            DiscoverProbeTimeout = TimeSpan.FromSeconds(60),
            InitializationTimeout = TimeSpan.FromSeconds(120),
        });
    }

    private static Uri McpUri(AgentHostServer server) => new(server.BaseUri.ToString()[..^"/v1".Length] + "/mcp");

    private static HttpClient AuthorizedHttp(AgentHostServer server)
    {
        var http = server.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return http;
    }

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(t => t.Text));
}

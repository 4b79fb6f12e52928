using System.ClientModel;
using System.Text.Json;
using AgentHost.Server.Tests.Conformance;
using AgentHost.Server.Tests.Support;
using OpenAI.Assistants;
using static AgentHost.Server.Tests.Runs.StreamingConformanceTests;

namespace AgentHost.Server.Tests.Assistants;

public sealed class CrudAndErrorTests
{
    [Fact]
    public async Task Assistants_CreateModifyPaginateDelete_ThroughOfficialSdk()
    {
        await using var server = await AgentHostServer.StartAsync();
        var client = server.Assistants();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Name = $"a{i}", Metadata = { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) } })).Value.Id);
        }

        Assistant modified = await client.ModifyAssistantAsync(ids[0], new AssistantModificationOptions { Name = "renamed", Temperature = 0.5f });
        var all = await client.GetAssistantsAsync(new AssistantCollectionOptions { PageSizeLimit = 2 }).ToListAsync();
        var ascending = await client.GetAssistantsAsync(new AssistantCollectionOptions { Order = AssistantCollectionOrder.Ascending, PageSizeLimit = 2 }).ToListAsync();
        var deleted = await client.DeleteAssistantAsync(ids[1]);

        Assert.Equal("renamed", modified.Name);
        Assert.Equal(0.5f, modified.Temperature);
        Assert.Equal(Enumerable.Reverse(ids), all.Select(a => a.Id));
        Assert.Equal(ids, ascending.Select(a => a.Id));
        Assert.True(deleted.Value.Deleted);
        var gone = await Assert.ThrowsAsync<ClientResultException>(() => client.GetAssistantAsync(ids[1]));
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task ThreadsAndMessages_CrudWithMetadataAndBeforeCursor()
    {
        await using var server = await AgentHostServer.StartAsync();
        var client = server.Assistants();
        AssistantThread thread = await client.CreateThreadAsync(new ThreadCreationOptions { InitialMessages = { "one", "two", "three" }, Metadata = { ["k"] = "v" } });
        var messages = await client.GetMessagesAsync(thread.Id, new MessageCollectionOptions { Order = MessageCollectionOrder.Ascending }).ToListAsync();

        var beforeLast = await client.GetMessagesAsync(thread.Id, new MessageCollectionOptions { Order = MessageCollectionOrder.Ascending, BeforeId = messages[2].Id }).ToListAsync();
        ThreadMessage updated = await client.ModifyMessageAsync(thread.Id, messages[0].Id, new MessageModificationOptions { Metadata = { ["seen"] = "yes" } });
        var deletedMessage = await client.DeleteMessageAsync(thread.Id, messages[1].Id);
        AssistantThread modifiedThread = await client.ModifyThreadAsync(thread.Id, new ThreadModificationOptions { Metadata = { ["k"] = "w" } });
        var deletedThread = await client.DeleteThreadAsync(thread.Id);

        Assert.Equal(["one", "two", "three"], messages.Select(m => m.Content[0].Text));
        Assert.Equal([messages[0].Id, messages[1].Id], beforeLast.Select(m => m.Id));
        Assert.Equal("yes", updated.Metadata["seen"]);
        Assert.True(deletedMessage.Value.Deleted);
        Assert.Equal("w", modifiedThread.Metadata["k"]);
        Assert.True(deletedThread.Value.Deleted);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => client.GetThreadAsync(thread.Id))).Status);
    }

    [Theory]
    [InlineData("assistants", """{"model":"gpt-4o","colour":"red"}""", 400, "colour")]
    [InlineData("assistants", """{"name":"no model"}""", 400, "model")]
    [InlineData("assistants", """{"model":"gpt-4o","temperature":2.5}""", 400, "temperature")]
    [InlineData("assistants", """{"model":"gpt-4o","top_p":"high"}""", 400, "top_p")]
    [InlineData("assistants", """{"model":"gpt-4o","tools":[{"type":"browser"}]}""", 400, "tools[0].type")]
    [InlineData("assistants", """{"model":"gpt-4o","response_format":{"type":"yaml"}}""", 400, "response_format")]
    [InlineData("threads", """{"messages":[{"role":"system","content":"x"}]}""", 400, "messages[0].role")]
    [InlineData("threads", """{"metadata":{"k":5}}""", 400, "metadata.k")]
    [InlineData("threads", """{"messages":[{"role":"user"}]}""", 400, "messages[0].content")]
    [InlineData("assistants", """{"model":"gpt-4o","name":"half \ud800 a pair"}""", 400, "name")]
    [InlineData("threads", """{"messages":[{"role":"user","content":"fine \ud83d\ude00 then lone \udc00"}]}""", 400, "messages[0].content")]
    public async Task BadInput_IsRefusedWithOpenAIErrorNamingTheParameter(string path, string body, int status, string? param)
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();

        using var response = await http.PostAsync(path, Runs.StreamingConformanceTests.Json(body));

        Assert.Equal(status, (int)response.StatusCode);
        if (status != 200)
        {
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var e = error.RootElement.GetProperty("error");
            Assert.Equal("invalid_request_error", e.GetProperty("type").GetString());
            Assert.Equal(param, e.GetProperty("param").GetString());
            Assert.False(string.IsNullOrEmpty(e.GetProperty("message").GetString()));
        }
    }

    [Fact]
    public async Task BadInput_NeverChangesStoredState()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var id = await CreateAssistantAsync(http, """{"model":"gpt-4o","name":"keep"}""");

        using var refused = await http.PostAsync($"assistants/{id}", Runs.StreamingConformanceTests.Json("""{"name":"changed","temperature":9}"""));
        using var malformed = await http.PostAsync($"assistants/{id}", Runs.StreamingConformanceTests.Json("""{"name":"changed" """));
        var stored = JsonDocument.Parse(await http.GetStringAsync($"assistants/{id}")).RootElement;

        Assert.Equal(400, (int)refused.StatusCode);
        Assert.Equal(400, (int)malformed.StatusCode);
        Assert.Equal("keep", stored.GetProperty("name").GetString());
    }

    [Fact]
    public async Task ListLimit_OutOfRange_IsRefused()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();

        using var tooMany = await http.GetAsync("assistants?limit=101");
        using var none = await http.GetAsync("assistants?limit=0");
        using var order = await http.GetAsync("assistants?order=sideways");

        Assert.Equal(400, (int)tooMany.StatusCode);
        Assert.Equal(400, (int)none.StatusCode);
        Assert.Equal(400, (int)order.StatusCode);
    }

    [Fact]
    public async Task ApiKeyConfigured_RequestsWithoutItGet401InOpenAIEnvelope()
    {
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:ApiKey"] = "sk-agenthost" });

        var refused = await Assert.ThrowsAsync<ClientResultException>(() => server.Assistants("sk-wrong").CreateAssistantAsync("gpt-4o"));
        Assistant accepted = await server.Assistants("sk-agenthost").CreateAssistantAsync("gpt-4o");

        Assert.Equal(401, refused.Status);
        Assert.Contains("invalid_api_key", refused.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("asst_", accepted.Id, StringComparison.Ordinal);
    }

    [SharedFact]
    public async Task EveryObjectReturned_ValidatesAgainstSpecSchema()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_1", "f", "{}")), ScriptedTurn.Say("ok"));
        using var http = server.Http();
        var assistant = await PostAsync(http, "assistants", """{"model":"gpt-4o","instructions":"be nice","tools":[{"type":"function","function":{"name":"f"}}],"metadata":{"a":"b"}}""");
        var run = await PostAsync(http, "threads/runs", $$$"""{"assistant_id":"{{{assistant.GetProperty("id").GetString()}}}","thread":{"messages":[{"role":"user","content":"hi"}]}}""");
        var threadId = run.GetProperty("thread_id").GetString();
        var runId = run.GetProperty("id").GetString();
        await server.Assistants().WaitAsync((await server.Assistants().GetRunAsync(threadId, runId)).Value);
        await PostAsync(http, $"threads/{threadId}/runs/{runId}/submit_tool_outputs", """{"tool_outputs":[{"tool_call_id":"call_1","output":"42"}]}""");
        await server.Assistants().WaitAsync((await server.Assistants().GetRunAsync(threadId, runId)).Value);

        OpenApiSchemaValidator.AssertValid(assistant, "AssistantObject");
        OpenApiSchemaValidator.AssertValid(JsonDocument.Parse(await http.GetStringAsync($"threads/{threadId}")).RootElement, "ThreadObject");
        OpenApiSchemaValidator.AssertValid(JsonDocument.Parse(await http.GetStringAsync($"threads/{threadId}/runs/{runId}")).RootElement, "RunObject");
        OpenApiSchemaValidator.AssertValid(JsonDocument.Parse(await http.GetStringAsync($"threads/{threadId}/messages")).RootElement, "ListMessagesResponse");
        OpenApiSchemaValidator.AssertValid(JsonDocument.Parse(await http.GetStringAsync($"threads/{threadId}/runs")).RootElement, "ListRunsResponse");
        OpenApiSchemaValidator.AssertValid(JsonDocument.Parse(await http.GetStringAsync($"threads/{threadId}/runs/{runId}/steps")).RootElement, "ListRunStepsResponse");
        OpenApiSchemaValidator.AssertValid(JsonDocument.Parse(await http.GetStringAsync("assistants")).RootElement, "ListAssistantsResponse");
        using var deleted = await http.DeleteAsync($"threads/{threadId}");
        OpenApiSchemaValidator.AssertValid(JsonDocument.Parse(await deleted.Content.ReadAsStringAsync()).RootElement, "DeleteThreadResponse");
    }
}

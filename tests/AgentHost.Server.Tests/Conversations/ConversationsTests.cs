using System.ClientModel;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using OpenAI.Responses;

namespace AgentHost.Server.Tests.Conversations;

/// <summary><c>/v1/conversations</c> and its items over raw HTTP (as the recordings do), and responses that append to a conversation through the SDK.</summary>
public sealed class ConversationsTests
{
    [Fact]
    public async Task Crud_CreateGetUpdateDelete_InTheRecordedShapes()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();

        var created = await PostAsync(http, "conversations", new JsonObject
        {
            ["metadata"] = new JsonObject { ["topic"] = "test" },
            ["items"] = new JsonArray(new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "input_text", ["text"] = "tell me a joke" }) }),
        });
        var id = created["id"]!.GetValue<string>();
        var fetched = JsonNode.Parse(await http.GetStringAsync($"conversations/{id}"))!;
        var updated = await PostAsync(http, $"conversations/{id}", new JsonObject { ["metadata"] = new JsonObject { ["topic"] = "updated-test", ["purpose"] = "conversation-test" } });
        var deleted = JsonNode.Parse(await (await http.DeleteAsync($"conversations/{id}")).Content.ReadAsStringAsync())!;
        var afterDelete = await http.GetAsync($"conversations/{id}");

        Assert.StartsWith("conv_", id, StringComparison.Ordinal);
        Assert.Equal(["id", "object", "created_at", "metadata"], created.AsObject().Select(p => p.Key));
        Assert.Equal("conversation", created["object"]!.GetValue<string>());
        Assert.Equal("test", fetched["metadata"]!["topic"]!.GetValue<string>());
        Assert.Equal("updated-test", updated["metadata"]!["topic"]!.GetValue<string>());
        Assert.Equal("conversation.deleted", deleted["object"]!.GetValue<string>());
        Assert.True(deleted["deleted"]!.GetValue<bool>());
        Assert.Equal(404, (int)afterDelete.StatusCode);
    }

    [Fact]
    public async Task Items_AddListRetrieveDelete()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var id = (await PostAsync(http, "conversations", new JsonObject()))["id"]!.GetValue<string>();

        var added = await PostAsync(http, $"conversations/{id}/items", new JsonObject
        {
            ["items"] = new JsonArray(
                new JsonObject { ["type"] = "message", ["role"] = "user", ["content"] = "first" },
                new JsonObject { ["type"] = "message", ["role"] = "assistant", ["content"] = "second" }),
        });
        var listed = JsonNode.Parse(await http.GetStringAsync($"conversations/{id}/items?order=asc&limit=1"))!;
        var firstId = added["data"]![0]!["id"]!.GetValue<string>();
        var secondId = added["data"]![1]!["id"]!.GetValue<string>();
        var next = JsonNode.Parse(await http.GetStringAsync($"conversations/{id}/items?order=asc&after={firstId}"))!;
        var item = JsonNode.Parse(await http.GetStringAsync($"conversations/{id}/items/{secondId}"))!;
        var deleted = await http.DeleteAsync($"conversations/{id}/items/{firstId}");
        var remaining = JsonNode.Parse(await http.GetStringAsync($"conversations/{id}/items"))!;

        Assert.Equal(2, added["data"]!.AsArray().Count);
        Assert.Equal("input_text", added["data"]![0]!["content"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("output_text", added["data"]![1]!["content"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(firstId, Assert.Single(listed["data"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.True(listed["has_more"]!.GetValue<bool>());
        Assert.Equal(secondId, Assert.Single(next["data"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal("second", item["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(200, (int)deleted.StatusCode);
        Assert.Equal(secondId, Assert.Single(remaining["data"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal(404, (int)(await http.GetAsync($"conversations/{id}/items/{firstId}")).StatusCode);
        Assert.Equal(404, (int)(await http.GetAsync("conversations/conv_missing/items")).StatusCode);
    }

    [Theory]
    [InlineData(CompatClients.Gpt)]
    [InlineData(CompatClients.Claude)]
    public async Task ResponseWithConversation_AppendsItsInputAndOutput_AndTheNextResponseSeesThem(string model)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Why did the scarecrow win an award?"), ScriptedTurn.Say("Because he was outstanding in his field."));
        using var http = server.Http();
        var conversation = (await PostAsync(http, "conversations", new JsonObject
        {
            ["items"] = new JsonArray(new JsonObject { ["type"] = "message", ["role"] = "system", ["content"] = "You are a helpful assistant." }),
        }))["id"]!.GetValue<string>();
        var client = server.Responses();

        ResponseResult first = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = model,
            InputItems = { ResponseItem.CreateUserMessageItem("Tell me a joke.") },
            ConversationOptions = new ResponseConversationOptions(conversation),
        });
        ResponseResult second = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = model,
            InputItems = { ResponseItem.CreateUserMessageItem("Why?") },
            ConversationOptions = new ResponseConversationOptions(conversation),
        });

        Assert.Equal(conversation, first.ConversationOptions.ConversationId);
        Assert.Equal("Because he was outstanding in his field.", second.GetOutputText());
        var sent = server.Upstream.Requests.Last().ToJsonString();
        Assert.Contains("You are a helpful assistant.", sent, StringComparison.Ordinal);
        Assert.Contains("Tell me a joke.", sent, StringComparison.Ordinal);
        Assert.Contains("Why did the scarecrow win an award?", sent, StringComparison.Ordinal);
        var items = JsonNode.Parse(await http.GetStringAsync($"conversations/{conversation}/items?order=asc"))!["data"]!.AsArray();
        Assert.Equal(["system", "user", "assistant", "user", "assistant"], items.Select(i => i!["role"]!.GetValue<string>()));
        Assert.Equal(first.OutputItems[0].Id, items[2]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ResponseWithAnUnknownConversation_Is404_AndWithPreviousResponseIdToo_Is400()
    {
        await using var server = await AgentHostServer.StartAsync();
        var client = server.Responses();
        ResponseResult first = await client.CreateResponseAsync(CompatClients.Gpt, "Hi");

        var unknown = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = CompatClients.Gpt,
            InputItems = { ResponseItem.CreateUserMessageItem("Hi") },
            ConversationOptions = new ResponseConversationOptions("conv_missing"),
        }));
        var both = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = CompatClients.Gpt,
            InputItems = { ResponseItem.CreateUserMessageItem("Hi") },
            ConversationOptions = new ResponseConversationOptions("conv_missing"),
            PreviousResponseId = first.Id,
        }));

        Assert.Equal(404, unknown.Status);
        Assert.Equal(400, both.Status);
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string path, JsonObject body)
    {
        var answer = await http.PostAsync(path, JsonBody.Of(body.ToJsonString()));
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }
}

using System.ClientModel;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using OpenAI.Responses;

namespace AgentHost.Server.Tests.Responses;

/// <summary>The Responses API through the official OpenAI .NET SDK's <see cref="ResponsesClient"/>, on a scripted OpenAI and a scripted Anthropic upstream.</summary>
public sealed class ResponsesTests
{
    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""";

    [Theory]
    [InlineData(CompatClients.Gpt)]
    [InlineData(CompatClients.Claude)]
    public async Task Create_Text_CompletesWithOutputTextUsageAndEchoedSettings(string model)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Paris is the capital of France."));
        var client = server.Responses();

        ResponseResult response = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = model,
            InputItems = { ResponseItem.CreateUserMessageItem("What is the capital of France?") },
            Instructions = "Answer in one sentence.",
            Temperature = 0.5f,
            TopP = 0.9f,
            Metadata = { ["purpose"] = "test" },
        });

        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.StartsWith("resp_", response.Id, StringComparison.Ordinal);
        Assert.Equal("Paris is the capital of France.", response.GetOutputText());
        Assert.Equal(model, response.Model);
        Assert.Equal("test", response.Metadata["purpose"]);
        Assert.Equal(0.5f, response.Temperature);
        Assert.Equal(12, response.Usage.InputTokenCount);
        Assert.Equal(5, response.Usage.OutputTokenCount);
        Assert.Equal(17, response.Usage.TotalTokenCount);
        var message = Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems));
        Assert.StartsWith("msg_", message.Id, StringComparison.Ordinal);

        var sent = server.Upstream.Requests.Single();
        Assert.Contains("Answer in one sentence.", sent.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("What is the capital of France?", sent.ToJsonString(), StringComparison.Ordinal);
        if (model == CompatClients.Gpt)
        {
            Assert.Equal(0.5, sent["temperature"]!.GetValue<double>(), 3);
        }

        ResponseResult fetched = await client.GetResponseAsync(response.Id);
        Assert.Equal(response.GetOutputText(), fetched.GetOutputText());
        Assert.Equal(response.OutputItems[0].Id, fetched.OutputItems[0].Id);
        Assert.Equal(ResponseStatus.Completed, fetched.Status);
    }

    [Theory]
    [InlineData(CompatClients.Gpt)]
    [InlineData(CompatClients.Claude)]
    public async Task CreateStreaming_TextDeltasJoinToTheCompletedText_WithIncreasingSequenceNumbers(string model)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Hello there, how can I help?"));
        var client = server.Responses();

        var deltas = new List<string>();
        var sequence = new List<int>();
        ResponseResult? completed = null;
        var kinds = new List<StreamingResponseUpdateKind>();
        await foreach (var update in await client.CreateResponseStreamingAsync(new CreateResponseOptions
        {
            Model = model,
            InputItems = { ResponseItem.CreateUserMessageItem("Hi") },
            StreamingEnabled = true,
        }))
        {
            sequence.Add(update.SequenceNumber);
            kinds.Add(update.Kind);
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                deltas.Add(delta.Delta);
            }
            else if (update is StreamingResponseCompletedUpdate done)
            {
                completed = done.Response;
            }
        }

        Assert.NotNull(completed);
        Assert.Equal("Hello there, how can I help?", string.Concat(deltas));
        Assert.Equal(completed.GetOutputText(), string.Concat(deltas));
        Assert.True(deltas.Count > 1);
        Assert.Equal(Enumerable.Range(0, sequence.Count), sequence);
        Assert.Equal(StreamingResponseUpdateKind.ResponseCreated, kinds[0]);
        Assert.Equal(StreamingResponseUpdateKind.ResponseInProgress, kinds[1]);
        Assert.Equal(StreamingResponseUpdateKind.ResponseOutputItemAdded, kinds[2]);
        Assert.Equal(StreamingResponseUpdateKind.ResponseContentPartAdded, kinds[3]);
        Assert.Equal(
            [StreamingResponseUpdateKind.ResponseOutputTextDone, StreamingResponseUpdateKind.ResponseContentPartDone, StreamingResponseUpdateKind.ResponseOutputItemDone, StreamingResponseUpdateKind.ResponseCompleted],
            kinds[^4..]);
        Assert.Equal(17, completed.Usage.TotalTokenCount);
    }

    [Theory]
    [InlineData(CompatClients.Gpt)]
    [InlineData(CompatClients.Claude)]
    public async Task FunctionCalling_RoundTripThroughFunctionCallOutput_SendsTheOutputToTheModel(string model)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_weather", "get_weather", """{"city":"Oslo"}""")), ScriptedTurn.Say("It is sunny in Oslo."));
        var client = server.Responses();
        var tool = ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString(WeatherSchema), strictModeEnabled: false, functionDescription: "Weather in a city");

        ResponseResult first = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = model,
            InputItems = { ResponseItem.CreateUserMessageItem("Weather in Oslo?") },
            Tools = { tool },
        });

        Assert.Equal(ResponseStatus.Completed, first.Status);
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(first.OutputItems));
        Assert.Equal("call_weather", call.CallId);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Oslo", JsonNode.Parse(call.FunctionArguments.ToString())!["city"]!.GetValue<string>());

        ResponseResult second = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = model,
            PreviousResponseId = first.Id,
            InputItems = { ResponseItem.CreateFunctionCallOutputItem("call_weather", "sunny, 21C") },
            Tools = { tool },
        });

        Assert.Equal("It is sunny in Oslo.", second.GetOutputText());
        Assert.Equal(first.Id, second.PreviousResponseId);
        var sent = server.Upstream.Requests.Last().ToJsonString();
        Assert.Contains("sunny, 21C", sent, StringComparison.Ordinal);
        Assert.Contains("call_weather", sent, StringComparison.Ordinal);
        Assert.Contains("Weather in Oslo?", sent, StringComparison.Ordinal);

        var inputItems = await client.GetResponseInputItemsAsync(second.Id).ToListAsync();
        Assert.Equal(3, inputItems.Count);
        Assert.IsType<FunctionCallOutputResponseItem>(inputItems[0]);
        Assert.Equal(call.Id, Assert.IsType<FunctionCallResponseItem>(inputItems[1]).Id);
        Assert.Equal(MessageRole.User, Assert.IsAssignableFrom<MessageResponseItem>(inputItems[2]).Role);
    }

    [Fact]
    public async Task FunctionCallOutput_ForAnUnknownCall_Is400()
    {
        await using var server = await AgentHostServer.StartAsync();
        var client = server.Responses();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = CompatClients.Gpt,
            InputItems = { ResponseItem.CreateFunctionCallOutputItem("call_nowhere", "42") },
        }));

        Assert.Equal(400, error.Status);
        Assert.Contains("call_nowhere", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Upstream.Requests);
    }

    [Theory]
    [InlineData(CompatClients.Gpt)]
    [InlineData(CompatClients.Claude)]
    public async Task PreviousResponseId_CarriesTheChain_AndForksAreIndependent(string model)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Nice to meet you, Ada."), ScriptedTurn.Say("You are Ada."), ScriptedTurn.Say("Hello again."));
        var client = server.Responses();

        ResponseResult first = await client.CreateResponseAsync(model, "My name is Ada.");
        ResponseResult second = await client.CreateResponseAsync(model, "What is my name?", first.Id);
        ResponseResult fork = await client.CreateResponseAsync(model, "Say hello.", first.Id);

        Assert.Equal("You are Ada.", second.GetOutputText());
        var requests = server.Upstream.Requests.ToList();
        Assert.Contains("My name is Ada.", requests[1].ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("Nice to meet you, Ada.", requests[1].ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("What is my name?", requests[2].ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("Nice to meet you, Ada.", requests[2].ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(first.Id, fork.PreviousResponseId);
    }

    [Fact]
    public async Task Delete_RemovesTheResponse_AndAChainToItIs404()
    {
        await using var server = await AgentHostServer.StartAsync();
        var client = server.Responses();
        ResponseResult response = await client.CreateResponseAsync(CompatClients.Gpt, "Hi");

        ResponseDeletionResult deleted = await client.DeleteResponseAsync(response.Id);

        Assert.True(deleted.Deleted);
        Assert.Equal(response.Id, deleted.ResponseId);
        var get = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(response.Id));
        Assert.Equal(404, get.Status);
        var chained = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(CompatClients.Gpt, "Again", response.Id));
        Assert.Equal(404, chained.Status);
        Assert.Contains("previous_response_id", chained.Message, StringComparison.Ordinal);
        var again = await Assert.ThrowsAsync<ClientResultException>(() => client.DeleteResponseAsync(response.Id));
        Assert.Equal(404, again.Status);
    }

    [Theory]
    [InlineData(CompatClients.Gpt)]
    [InlineData(CompatClients.Claude)]
    public async Task StoreFalse_AnswersButKeepsNothing(string model)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Not kept."));
        var client = server.Responses();

        ResponseResult response = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = model,
            InputItems = { ResponseItem.CreateUserMessageItem("A secret") },
            StoredOutputEnabled = false,
        });

        Assert.Equal("Not kept.", response.GetOutputText());
        var get = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(response.Id));
        Assert.Equal(404, get.Status);
        var chained = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(model, "Again", response.Id));
        Assert.Equal(404, chained.Status);
        using var http = server.Http();
        var usage = await http.GetStringAsync("agenthost/usage?entry_point=responses&group_by=model");
        Assert.Contains(model, usage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CompatClients.Gpt)]
    [InlineData(CompatClients.Claude)]
    public async Task StructuredOutput_JsonSchemaStrict_ReachesTheModelAndIsEchoed(string model)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("""{"city":"Oslo"}"""));
        var client = server.Responses();

        ResponseResult response = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = model,
            InputItems = { ResponseItem.CreateUserMessageItem("Which city?") },
            TextOptions = new ResponseTextOptions { TextFormat = ResponseTextFormat.CreateJsonSchemaFormat("city", BinaryData.FromString(WeatherSchema), jsonSchemaIsStrict: true) },
        });

        Assert.Equal("Oslo", JsonNode.Parse(response.GetOutputText())!["city"]!.GetValue<string>());
        Assert.Equal(ResponseTextFormatKind.JsonSchema, response.TextOptions.TextFormat.Kind);
        var sent = server.Upstream.Requests.Single().ToJsonString();
        Assert.Contains("\"city\"", sent, StringComparison.Ordinal);
        if (model == CompatClients.Gpt)
        {
            Assert.Equal("json_schema", server.Upstream.Requests.Single()["response_format"]!["type"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task ToolChoiceAndParallelToolCalls_ReachTheModel()
    {
        await using var server = await AgentHostServer.StartAsync();
        var client = server.Responses();

        ResponseResult response = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = CompatClients.Gpt,
            InputItems = { ResponseItem.CreateUserMessageItem("Weather?") },
            Tools = { ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString(WeatherSchema), strictModeEnabled: true) },
            ToolChoice = ResponseToolChoice.CreateFunctionChoice("get_weather"),
            ParallelToolCallsEnabled = false,
        });

        Assert.Equal(ResponseToolChoiceKind.Function, response.ToolChoice.Kind);
        Assert.False(response.ParallelToolCallsEnabled);
        var sent = server.Upstream.Requests.Single();
        Assert.Equal("get_weather", sent["tool_choice"]!["function"]!["name"]!.GetValue<string>());
        Assert.False(sent["parallel_tool_calls"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData(CompatClients.Gpt)]
    [InlineData(CompatClients.Claude)]
    public async Task MaxOutputTokens_ReachedEndsIncomplete(string model)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(new ScriptedTurn { Text = "A long answer cut", FinishReason = "length" });
        var client = server.Responses();

        ResponseResult response = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = model,
            InputItems = { ResponseItem.CreateUserMessageItem("Write an essay.") },
            MaxOutputTokenCount = 20,
        });

        Assert.Equal(ResponseStatus.Incomplete, response.Status);
        Assert.Equal(ResponseIncompleteStatusReason.MaxOutputTokens, response.IncompleteStatusDetails.Reason);
        Assert.Equal(20, response.MaxOutputTokenCount);
    }

    [Theory]
    [InlineData("web_search_preview")]
    [InlineData("image_generation")]
    [InlineData("computer_use_preview")]
    public async Task UnsupportedToolType_Is400NamingTheType(string type)
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();

        var answer = await http.PostAsync("responses", JsonBody.Of(new JsonObject
        {
            ["model"] = CompatClients.Gpt,
            ["input"] = "Hi",
            ["tools"] = new JsonArray(new JsonObject { ["type"] = type }),
        }.ToJsonString()));

        Assert.Equal(400, (int)answer.StatusCode);
        var error = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["error"]!;
        Assert.Contains($"'{type}'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("tools[0].type", error["param"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task BadInput_IsRefusedInTheErrorEnvelope()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();

        var missingModel = await http.PostAsync("responses", JsonBody.Of(new JsonObject { ["input"] = "Hi" }.ToJsonString()));
        var unknownField = await http.PostAsync("responses", JsonBody.Of(new JsonObject { ["model"] = "gpt-4o", ["input"] = "Hi", ["bogus"] = 1 }.ToJsonString()));
        var badTemperature = await http.PostAsync("responses", JsonBody.Of(new JsonObject { ["model"] = "gpt-4o", ["input"] = "Hi", ["temperature"] = 3 }.ToJsonString()));
        var missing = await http.GetAsync("responses/resp_missing");

        Assert.Equal(400, (int)missingModel.StatusCode);
        Assert.Equal("model", JsonNode.Parse(await missingModel.Content.ReadAsStringAsync())!["error"]!["param"]!.GetValue<string>());
        Assert.Equal(400, (int)unknownField.StatusCode);
        Assert.Equal("bogus", JsonNode.Parse(await unknownField.Content.ReadAsStringAsync())!["error"]!["param"]!.GetValue<string>());
        Assert.Equal(400, (int)badTemperature.StatusCode);
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Contains("resp_missing", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

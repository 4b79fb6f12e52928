using System.Text.Json;
using AgentHost.Server.Tests.Support;
using OpenAI.Responses;

namespace AgentHost.Server.Tests.Responses;

/// <summary>A response whose model call fails: an error status with the error envelope when answered whole, <c>response.failed</c> when streamed.</summary>
public sealed class ResponsesFailureTests
{
    [Theory]
    [InlineData(CompatClients.Gpt)]
    [InlineData(CompatClients.Claude)]
    public async Task ModelCallFails_Foreground_AnswersAnErrorStatusWithTheEnvelope(string model)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(new ScriptedTurn { Status = 500 }, new ScriptedTurn { Status = 500 }, new ScriptedTurn { Status = 500 });
        using var http = server.Http();

        using var answer = await http.PostAsync("responses", JsonBody.Of($$"""{"model":"{{model}}","input":"Hi"}"""));
        var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(500, (int)answer.StatusCode);
        var error = body.GetProperty("error");
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal("server_error", error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData(CompatClients.Gpt)]
    [InlineData(CompatClients.Claude)]
    public async Task ModelCallFails_Streamed_EndsWithResponseFailed(string model)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(new ScriptedTurn { Status = 500 }, new ScriptedTurn { Status = 500 }, new ScriptedTurn { Status = 500 });
        var client = server.Responses();

        var updates = new List<StreamingResponseUpdate>();
        await foreach (var update in await client.CreateResponseStreamingAsync(new CreateResponseOptions
        {
            Model = model,
            InputItems = { ResponseItem.CreateUserMessageItem("Hi") },
            StreamingEnabled = true,
        }))
        {
            updates.Add(update);
        }

        var failed = Assert.IsType<StreamingResponseFailedUpdate>(updates[^1]);
        Assert.Equal(ResponseStatus.Failed, failed.Response.Status);
        Assert.Equal(ResponseErrorCode.ServerError, failed.Response.Error.Code);

        ResponseResult kept = await client.GetResponseAsync(failed.Response.Id);
        Assert.Equal(ResponseStatus.Failed, kept.Status);
        Assert.Equal(failed.Response.Error.Message, kept.Error.Message);
    }
}

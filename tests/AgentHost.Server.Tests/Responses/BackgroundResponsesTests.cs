using System.ClientModel;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing;
using AgentHost.Testing.Requirements;
using OpenAI.Responses;

namespace AgentHost.Server.Tests.Responses;

/// <summary>Background responses on the durable run engine: cancel, a kill -9 mid-response, and streams resumed with <c>starting_after</c>.</summary>
public sealed class BackgroundResponsesTests
{
    [Fact]
    public async Task Background_IsQueuedThenCompletes_AndItsStreamReplaysFromAnySequenceNumber()
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Say("Done in the background."));
        var client = server.Responses();

        ResponseResult queued = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = CompatClients.Gpt,
            InputItems = { ResponseItem.CreateUserMessageItem("Work on this.") },
            BackgroundModeEnabled = true,
        });
        Assert.Equal(ResponseStatus.Queued, queued.Status);
        Assert.True(queued.BackgroundModeEnabled);

        var all = await ReadStreamAsync(client, queued.Id, null);
        var tail = await ReadStreamAsync(client, queued.Id, 3);

        Assert.Equal(Enumerable.Range(0, all.Count), all.Select(u => u.SequenceNumber));
        Assert.IsType<StreamingResponseCreatedUpdate>(all[0]);
        Assert.IsType<StreamingResponseQueuedUpdate>(all[1]);
        Assert.IsType<StreamingResponseInProgressUpdate>(all[2]);
        Assert.IsType<StreamingResponseCompletedUpdate>(all[^1]);
        Assert.Equal("Done in the background.", string.Concat(all.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(d => d.Delta)));
        Assert.Equal(all.Skip(4).Select(u => u.SequenceNumber), tail.Select(u => u.SequenceNumber));
        ResponseResult done = await client.GetResponseAsync(queued.Id);
        Assert.Equal(ResponseStatus.Completed, done.Status);
        Assert.Equal("Done in the background.", done.GetOutputText());
    }

    [Fact]
    public async Task Cancel_ABackgroundResponseInFlight_EndsItCancelled_AndAForegroundOneCannotBeCancelled()
    {
        await using var server = await AgentHostServer.StartAsync();
        var gate = new TaskCompletionSource();
        server.Upstream.Enqueue(new ScriptedTurn { Text = "never sent", Gate = gate }, ScriptedTurn.Say("Foreground."));
        var client = server.Responses();

        ResponseResult queued = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = CompatClients.Gpt,
            InputItems = { ResponseItem.CreateUserMessageItem("Take your time.") },
            BackgroundModeEnabled = true,
        });
        await Eventually.TrueAsync(() => !server.Upstream.Requests.IsEmpty, "the model call to start");
        ResponseResult cancelled = await client.CancelResponseAsync(queued.Id);
        gate.TrySetResult();

        Assert.Equal(ResponseStatus.Cancelled, cancelled.Status);
        Assert.Equal(ResponseStatus.Cancelled, (await client.GetResponseAsync(queued.Id)).Value.Status);
        ResponseResult foreground = await client.CreateResponseAsync(CompatClients.Gpt, "Hi");
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => client.CancelResponseAsync(foreground.Id));
        Assert.Equal(400, refused.Status);
    }

    [Fact]
    public async Task ServerKilledMidResponse_BackgroundResumesAfterRestart_StreamResumesAfterTheLastEventRead_ForegroundEndsFailed()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        var gate = new TaskCompletionSource();
        var foregroundGate = new TaskCompletionSource();
        upstream.Enqueue(new ScriptedTurn { Text = "lost with the process", Gate = gate }, new ScriptedTurn { Text = "also lost", Gate = foregroundGate }, ScriptedTurn.Say("Answer after restart."));
        var dataDir = Directory.CreateTempSubdirectory("agenthost-responses-kill-").FullName;
        var port = ServerProcess.FreePort();
        string[] settings = [$"--AgentHost:Providers:OpenAI:BaseUrl={upstream.BaseUrl}", "--AgentHost:Providers:Retry:MaxAttempts=1",
            "--AgentHost:Runs:LeaseDuration=00:00:01", "--AgentHost:Runs:SweepInterval=00:00:00.200"];
        var client = new ResponsesClient(new ApiKeyCredential("k"), new ResponsesClientOptions { Endpoint = new Uri($"http://127.0.0.1:{port}/v1"), NetworkTimeout = TimeSpan.FromSeconds(30) });
        string backgroundId;
        string foregroundId;
        List<StreamingResponseUpdate> before;
        using (var first = await ServerProcess.StartAsync(port, dataDir, settings))
        {
            ResponseResult queued = await client.CreateResponseAsync(new CreateResponseOptions
            {
                Model = CompatClients.Gpt,
                InputItems = { ResponseItem.CreateUserMessageItem("Do not lose me.") },
                BackgroundModeEnabled = true,
            });
            backgroundId = queued.Id;
            await Eventually.TrueAsync(() => upstream.Requests.Count == 1, "the background model call to start");
            before = await ReadStreamAsync(client, backgroundId, null, stopAfter: 2);
            using var http = first.Http();
            foregroundId = await StartForegroundAsync(http);
            await Eventually.TrueAsync(() => upstream.Requests.Count == 2, "the foreground model call to start");
            await first.KillAsync();
        }

        gate.TrySetCanceled();
        foregroundGate.TrySetCanceled();
        using var second = await ServerProcess.StartAsync(port, dataDir, settings);
        var after = await ReadStreamAsync(client, backgroundId, before[^1].SequenceNumber);
        ResponseResult background = await client.GetResponseAsync(backgroundId);
        ResponseResult foreground = await WaitEndedAsync(client, foregroundId);

        Assert.Equal([0, 1], before.Select(u => u.SequenceNumber));
        Assert.Equal(Enumerable.Range(2, after.Count), after.Select(u => u.SequenceNumber));
        Assert.IsType<StreamingResponseCompletedUpdate>(after[^1]);
        Assert.Equal("Answer after restart.", string.Concat(after.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(d => d.Delta)));
        Assert.Equal(ResponseStatus.Completed, background.Status);
        Assert.Equal("Answer after restart.", background.GetOutputText());
        Assert.Equal(ResponseStatus.Failed, foreground.Status);
        Assert.NotNull(foreground.Error);
        Assert.Equal(3, upstream.Requests.Count);
    }

    [RequiresFact("bwrap")]
    public async Task ServerKilledWhileCodeRuns_BackgroundCodeInterpreterResponse_CompletesAfterRestart_InItsContainer_AndItsStreamGoesOn()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        const string slow = "import time\nprint('started', flush=True)\ntime.sleep(300)";
        const string fast = "print(6 * 7)";
        upstream.Enqueue(
            ScriptedTurn.Call(("call_slow", "code_interpreter", new JsonObject { ["code"] = slow }.ToJsonString())),
            ScriptedTurn.Call(("call_fast", "code_interpreter", new JsonObject { ["code"] = fast }.ToJsonString())),
            ScriptedTurn.Say("The answer is 42."));
        var dataDir = Directory.CreateTempSubdirectory("agenthost-responses-ci-kill-").FullName;
        var port = ServerProcess.FreePort();
        string[] settings = [$"--AgentHost:Providers:OpenAI:BaseUrl={upstream.BaseUrl}", "--AgentHost:Providers:Retry:MaxAttempts=1",
            "--AgentHost:Runs:LeaseDuration=00:00:01", "--AgentHost:Runs:SweepInterval=00:00:00.200", "--AgentHost:Sandbox:PrewarmSession=false", "--AgentHost:Sandbox:Preload="];
        string id;
        List<JsonObject> before;
        using (var first = await ServerProcess.StartAsync(port, dataDir, settings))
        {
            using var http = first.Http();
            using var created = await http.PostAsync("responses", JsonBody.Of(
                """{"model":"gpt-4o","background":true,"input":"What is six times seven? Use Python.","tools":[{"type":"code_interpreter","container":{"type":"auto"}}]}"""));
            var text = await created.Content.ReadAsStringAsync();
            Assert.True(created.IsSuccessStatusCode, text);
            id = (string)JsonNode.Parse(text)!["id"]!;

            // Killed once the slow code is running in the sandbox.
            before = await ReadEventsAsync(http, id, -1, e => (string?)e["type"] == "response.code_interpreter_call.interpreting");
            await first.KillAsync();
        }

        using var second = await ServerProcess.StartAsync(port, dataDir, settings);
        using var client = second.Http();
        var lastBefore = (int)before[^1]["sequence_number"]!;
        var after = await ReadEventsAsync(client, id, lastBefore, e => (string?)e["type"] is "response.completed" or "response.failed" or "response.incomplete");
        var response = JsonNode.Parse(await client.GetStringAsync($"responses/{id}?include[]=code_interpreter_call.outputs"))!;

        Assert.Equal("completed", (string?)response["status"]);
        var output = response["output"]!.AsArray();
        var call = output.Single(i => (string?)i!["type"] == "code_interpreter_call")!;
        Assert.Equal(fast, (string?)call["code"]);
        Assert.Equal("42\n", (string?)call["outputs"]![0]!["logs"]);
        Assert.Equal("The answer is 42.", (string?)output[^1]!["content"]![0]!["text"]);

        // The container made before the kill is the one the code ran in after it.
        var startedItem = before.First(e => (string?)e["type"] == "response.output_item.added")["item"]!;
        Assert.Equal((string?)startedItem["container_id"], (string?)call["container_id"]);

        // The stream goes on from the last event read before the kill, to the end.
        Assert.Equal(Enumerable.Range(lastBefore + 1, after.Count), after.Select(e => (int)e["sequence_number"]!));
        Assert.Equal("response.completed", (string?)after[^1]["type"]);
        Assert.Equal(3, upstream.Requests.Count);
    }

    /// <summary>A background response's stream after <paramref name="startingAfter"/>, read until <paramref name="last"/> says an event is the last one wanted.</summary>
    private static async Task<List<JsonObject>> ReadEventsAsync(HttpClient http, string id, int startingAfter, Func<JsonObject, bool> last)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"responses/{id}?stream=true&starting_after={startingAfter}");
        using var answer = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        var events = new List<JsonObject>();
        await foreach (var sseEvent in Conformance.SseReader.ReadEventsAsync(answer, deadline.Token))
        {
            var data = JsonNode.Parse(sseEvent.Json!.Value.GetRawText())!.AsObject();
            events.Add(data);
            if (last(data))
            {
                return events;
            }
        }

        throw new InvalidOperationException($"The stream of {id} ended without the event waited for; it had {string.Join(", ", events.Select(e => (string?)e["type"]))}.");
    }

    /// <summary>Starts a streamed foreground response and returns its id from <c>response.created</c>; the stream is left open.</summary>
    private static async Task<string> StartForegroundAsync(HttpClient http)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "responses")
        {
            Content = JsonBody.Of(new JsonObject { ["model"] = CompatClients.Gpt, ["input"] = "In the foreground.", ["stream"] = true }.ToJsonString()),
        };
        var answer = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await answer.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonNode.Parse(line["data: ".Length..])!["response"]!["id"]!.GetValue<string>();
            }
        }

        throw new InvalidOperationException("The stream ended before response.created.");
    }

    private static async Task<ResponseResult> WaitEndedAsync(ResponsesClient client, string id)
    {
        ResponseResult response = await client.GetResponseAsync(id);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (response.Status is ResponseStatus.Queued or ResponseStatus.InProgress)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Response {id} stuck in {response.Status}.");
            await Task.Delay(50);
            response = await client.GetResponseAsync(id);
        }

        return response;
    }

    private static async Task<List<StreamingResponseUpdate>> ReadStreamAsync(ResponsesClient client, string id, int? startingAfter, int stopAfter = int.MaxValue)
    {
        var updates = new List<StreamingResponseUpdate>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var update in await client.GetResponseStreamingAsync(new GetResponseOptions { ResponseId = id, StartingAfter = startingAfter, StreamingEnabled = true }, deadline.Token))
        {
            updates.Add(update);
            if (updates.Count >= stopAfter)
            {
                break;
            }
        }

        return updates;
    }
}

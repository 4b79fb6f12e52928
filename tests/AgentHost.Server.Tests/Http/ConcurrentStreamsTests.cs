using System.Text;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing;

namespace AgentHost.Server.Tests.Http;

/// <summary>Many streamed runs open at once, every one held mid-model-call until all are open, each read to its end.</summary>
public sealed class ConcurrentStreamsTests
{
    private const int Streams = 200;

    private const string Answer = "Hello from the held model.";

    /// <summary>One streamed thread-and-run of one model call, with runs of deltas collapsed into one.</summary>
    private static readonly string[] ExpectedOrder =
    [
        "thread.created", "thread.run.created", "thread.run.queued", "thread.run.in_progress", "thread.run.step.created",
        "thread.run.step.in_progress", "thread.message.created", "thread.message.in_progress", "thread.message.delta",
        "thread.message.completed", "thread.run.step.completed", "thread.run.completed", "done",
    ];

    [Fact]
    public async Task TwoHundredStreamsHeldOpenAtOnce_EachCompletesWithItsEventsInOrder()
    {
        await using var server = await AgentHostServer.StartAsync();
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Upstream.Default = new ScriptedTurn { Text = Answer, Gate = held };
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUri + "/"), Timeout = TimeSpan.FromMinutes(2) };
        using var created = await http.PostAsync("assistants", Json("""{"model":"gpt-4o"}"""));
        created.EnsureSuccessStatusCode();
        var assistantId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        var streams = Enumerable.Range(0, Streams).Select(i => Task.Run(() => StreamAsync(http, assistantId!, i))).ToList();
        // Every run is inside its model call, so all the streams are open at the same time before any answer is sent.
        await Eventually.TrueAsync(() => server.Upstream.Requests.Count >= Streams || streams.Any(s => s.IsCompleted),
            $"{Streams} model calls held at once", TimeSpan.FromSeconds(90));
        Assert.DoesNotContain(streams, s => s.IsCompleted);
        held.SetResult();
        var results = await Task.WhenAll(streams);

        Assert.All(results, r =>
        {
            Assert.Equal(ExpectedOrder, r.Order);
            Assert.Equal(Answer, r.Text);
            Assert.Equal(r.ThreadId, r.RunThreadId);
        });
        Assert.Equal(Streams, results.Select(r => r.ThreadId).Distinct().Count());
    }

    private sealed record StreamResult(List<string> Order, string Text, string? ThreadId, string? RunThreadId);

    private static async Task<StreamResult> StreamAsync(HttpClient http, string assistantId, int i)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "threads/runs")
        {
            Content = Json($$"""{"assistant_id":"{{assistantId}}","thread":{"messages":[{"role":"user","content":"Stream {{i}}"}]},"stream":true}"""),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var order = new List<string>();
        var text = new StringBuilder();
        string? threadId = null, runThreadId = null, name = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
                if (order.Count == 0 || order[^1] != name || name != "thread.message.delta")
                {
                    order.Add(name);
                }
            }
            else if (line.StartsWith("data: {", StringComparison.Ordinal))
            {
                using var data = JsonDocument.Parse(line["data: ".Length..]);
                switch (name)
                {
                    case "thread.created":
                        threadId = data.RootElement.GetProperty("id").GetString();
                        break;
                    case "thread.run.completed":
                        runThreadId = data.RootElement.GetProperty("thread_id").GetString();
                        break;
                    case "thread.message.delta":
                        text.Append(data.RootElement.GetProperty("delta").GetProperty("content")[0].GetProperty("text").GetProperty("value").GetString());
                        break;
                }
            }
        }

        return new StreamResult(order, text.ToString(), threadId, runThreadId);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

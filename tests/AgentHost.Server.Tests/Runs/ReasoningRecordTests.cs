using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.Runs;

/// <summary>
/// The engine keeps a turn's reasoning with its step, so a tool-use continuation sends Claude its signed thinking; an
/// Assistants client sees exactly the steps, messages and stream it saw before reasoning was kept.
/// </summary>
public sealed class ReasoningRecordTests
{
    private const string Thought = "I should call f first.";

    [Fact]
    public async Task AssistantsRunWithThinking_ContinuesWithTheSignedThinking_AndItsStepsAndStreamAreUnchanged()
    {
        var withThinking = await RunAsync(Thought);
        var without = await RunAsync(null);

        // The continuation after submit_tool_outputs gave Claude the turn's thinking with its signature, before its tool use.
        var assistant = withThinking.Continuation["messages"]!.AsArray().Single(m => (string?)m!["role"] == "assistant")!["content"]!.AsArray();
        Assert.Equal(["thinking", "tool_use"], assistant.Select(b => (string?)b!["type"]));
        Assert.Equal(Thought, (string?)assistant[0]!["thinking"]);
        Assert.Equal(AnthropicTurns.Signature, (string?)assistant[0]!["signature"]);
        Assert.Equal(["tool_use"], without.Continuation["messages"]!.AsArray().Single(m => (string?)m!["role"] == "assistant")!["content"]!.AsArray()
            .Select(b => (string?)b!["type"]));

        // What the Assistants client reads and streams carries no trace of it, in the same shape as a run without thinking.
        foreach (var seen in new[] { withThinking.Steps, withThinking.Step, withThinking.Messages, withThinking.Stream })
        {
            Assert.DoesNotContain("agenthost_reasoning", seen, StringComparison.Ordinal);
            Assert.DoesNotContain(Thought, seen, StringComparison.Ordinal);
            Assert.DoesNotContain(AnthropicTurns.Signature, seen, StringComparison.Ordinal);
        }

        Assert.Equal(Shape(without.Steps), Shape(withThinking.Steps));
        Assert.Equal(Shape(without.Step), Shape(withThinking.Step));
        Assert.Equal(Shape(without.Messages), Shape(withThinking.Messages));
        Assert.Equal(StreamShape(without.Stream), StreamShape(withThinking.Stream));
    }

    private static async Task<Seen> RunAsync(string? thinking)
    {
        await using var server = await AgentHostServer.StartAsync();
        server.Upstream.Enqueue(ScriptedTurn.Call(("toolu_1", "f", "{}")) with { Thinking = thinking }, ScriptedTurn.Say("Done."));
        using var http = server.Http();
        var assistant = await PostAsync(http, "assistants", $$$"""{"model":"{{{CompatClients.Claude}}}","reasoning_effort":"medium","tools":[{"type":"function","function":{"name":"f"}}]}""");
        var stream = await StreamAsync(http, "threads/runs",
            $$$"""{"assistant_id":"{{{assistant.GetProperty("id").GetString()}}}","stream":true,"thread":{"messages":[{"role":"user","content":"hi"}]}}""");
        var runId = JsonNode.Parse(stream.Split('\n').First(l => l.StartsWith("data: {", StringComparison.Ordinal) && l.Contains("\"thread.run\"", StringComparison.Ordinal))[6..])!;
        var threadId = (string)runId["thread_id"]!;
        var id = (string)runId["id"]!;
        await PostAsync(http, $"threads/{threadId}/runs/{id}/submit_tool_outputs", """{"tool_outputs":[{"tool_call_id":"toolu_1","output":"42"}]}""");
        await server.Assistants().WaitAsync((await server.Assistants().GetRunAsync(threadId, id)).Value);

        var steps = await http.GetStringAsync($"threads/{threadId}/runs/{id}/steps?order=asc");
        var firstStep = JsonNode.Parse(steps)!["data"]![0]!;
        return new Seen(
            server.Upstream.Requests.Last(),
            steps,
            await http.GetStringAsync($"threads/{threadId}/runs/{id}/steps/{firstStep["id"]}"),
            await http.GetStringAsync($"threads/{threadId}/messages"),
            stream);
    }

    /// <summary>Every property path of a JSON document, with the kind of its value.</summary>
    private static List<string> Shape(string json)
    {
        var paths = new List<string>();
        Walk(JsonDocument.Parse(json).RootElement, "$", paths);
        return paths;
    }

    /// <summary>The stream's event names in order, each with the shape of its data.</summary>
    private static List<string> StreamShape(string stream) =>
    [
        .. stream.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(block =>
        {
            var name = block.Split('\n').FirstOrDefault(l => l.StartsWith("event: ", StringComparison.Ordinal)) ?? string.Empty;
            var data = block.Split('\n').FirstOrDefault(l => l.StartsWith("data: {", StringComparison.Ordinal));
            return name + (data is null ? string.Empty : " " + string.Join(",", Shape(data[6..])));
        }),
    ];

    private static void Walk(JsonElement element, string path, List<string> paths)
    {
        paths.Add($"{path}:{element.ValueKind}");
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                Walk(property.Value, $"{path}.{property.Name}", paths);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Walk(item, path + "[]", paths);
            }
        }
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, string body)
    {
        using var response = await http.PostAsync(path, JsonBody.Of(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<string> StreamAsync(HttpClient http, string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonBody.Of(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return text;
    }

    private sealed record Seen(JsonObject Continuation, string Steps, string Step, string Messages, string Stream);
}

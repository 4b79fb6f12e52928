using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Sandbox;
using AgentHost.Server.Tests.Conformance;
using AgentHost.Server.Tests.Runs;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Server.Tests.CodeInterpreter;

/// <summary>The code interpreter's step, message and streamed deltas against the OpenAPI spec.</summary>
public sealed class CodeInterpreterConformanceTests
{
    [SharedFact]
    public async Task StepMessageAndDeltas_MatchTheSpec()
    {
        await using var server = await AgentHostServer.StartAsync(b => b.Services.PostConfigure<SandboxOptions>(o => o.Preload = ""),
            new() { ["AgentHost:Sandbox:PrewarmSession"] = "false" });
        const string code = "import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nopen('/mnt/data/out.txt', 'w').write('hi')\nprint('ok')";
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_ci", "code_interpreter", new JsonObject { ["code"] = code }.ToJsonString())),
            ScriptedTurn.Say("Here: [out.txt](sandbox:/mnt/data/out.txt)"));
        using var http = server.Http();
        var assistantId = await StreamingConformanceTests.CreateAssistantAsync(http, """{"model":"gpt-4o","tools":[{"type":"code_interpreter"}]}""");

        var events = await StreamingConformanceTests.StreamAsync(http, "threads/runs",
            $$$"""{"assistant_id":"{{{assistantId}}}","stream":true,"thread":{"messages":[{"role":"user","content":"Plot."}]}}""");

        var deltas = events.Where(e => e.Event == "thread.run.step.delta").Select(e => e.Json!.Value).ToList();
        Assert.True(deltas.Count >= 4, string.Join('\n', events));
        Assert.All(deltas, d => OpenApiSchemaValidator.AssertValid(d, "RunStepDeltaObject"));
        var run = events.Single(e => e.Event == "thread.run.completed").Json!.Value;
        var threadId = run.GetProperty("thread_id").GetString();
        var steps = JsonDocument.Parse(await http.GetStringAsync($"threads/{threadId}/runs/{run.GetProperty("id").GetString()}/steps?order=asc")).RootElement;
        var step = steps.GetProperty("data")[0];
        OpenApiSchemaValidator.AssertValidAsRecorded(step, "RunStepObject");
        var outputs = step.GetProperty("step_details").GetProperty("tool_calls")[0].GetProperty("code_interpreter").GetProperty("outputs");
        Assert.Equal(["logs", "image"], outputs.EnumerateArray().Select(o => o.GetProperty("type").GetString()));
        var message = JsonDocument.Parse(await http.GetStringAsync($"threads/{threadId}/messages?order=desc&limit=1")).RootElement.GetProperty("data")[0];
        OpenApiSchemaValidator.AssertValidAsRecorded(message, "MessageObject");
        Assert.Equal(["image_file", "text"], message.GetProperty("content").EnumerateArray().Select(c => c.GetProperty("type").GetString()));
        var annotation = message.GetProperty("content")[1].GetProperty("text").GetProperty("annotations")[0];
        Assert.Equal("file_path", annotation.GetProperty("type").GetString());
        var content = await http.GetStringAsync($"files/{annotation.GetProperty("file_path").GetProperty("file_id").GetString()}/content");
        Assert.Equal("hi", content);
    }
}

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;
using OpenAI.Assistants;
using OpenAI.Containers;

namespace AgentHost.Server.Tests.AgentToolset;

/// <summary>
/// A run whose tools include <c>agent_toolset_20260401</c> on a container, on the real server with a scripted model:
/// the toolset's tools are offered, bash, edit and read run in the container's sandbox, each result reaches the next
/// model call, and what bash and edit wrote is kept as the container's files.
/// </summary>
public sealed class AgentToolsetRunTests
{
    private static readonly Dictionary<string, string?> Settings = new() { ["AgentHost:Sandbox:PrewarmSession"] = "false", ["AgentHost:Sandbox:Preload"] = "" };

    [RequiresFact("bwrap")]
    public async Task ARun_CallsBashThenEditThenRead_InTheContainer()
    {
        await using var server = await AgentHostServer.StartAsync(settings: Settings);
        ContainerResource container = await server.Containers().CreateContainerAsync(new ContainerCreationOptions("session"));
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_bash", "bash", new JsonObject { ["command"] = "mkdir -p app && printf 'greeting = \"hello\"\\n' > app/main.py && cd app && pwd" }.ToJsonString())),
            ScriptedTurn.Call(("call_edit", "edit", """{"file_path":"app/main.py","old_string":"hello","new_string":"hello, world"}""")),
            ScriptedTurn.Call(("call_read", "read", """{"file_path":"/mnt/data/app/main.py"}""")),
            ScriptedTurn.Say("The greeting now says hello, world."));
        var client = server.Assistants();
        var body = $$"""{"model":"gpt-4o","tools":[{"type":"agent_toolset_20260401","container_id":"{{container.Id}}","configs":[{"name":"web_search","enabled":false}]}]}""";
        var created = await client.CreateAssistantAsync(BinaryContent.Create(BinaryData.FromString(body)), new RequestOptions());
        var assistantId = JsonNode.Parse(created.GetRawResponse().Content.ToString())!["id"]!.GetValue<string>();

        ThreadRun run = await client.CreateThreadAndRunAsync(assistantId, new ThreadCreationOptions { InitialMessages = { "Greet the world." } });
        run = await client.WaitAsync(run);

        Assert.True(run.Status == RunStatus.Completed, run.LastError?.Message);
        var offered = server.Upstream.Requests.First()["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>());
        Assert.Equal(["bash", "read", "write", "edit", "glob", "grep", "web_fetch"], offered);

        using var http = server.Http();
        var steps = JsonNode.Parse(await http.GetStringAsync($"threads/{run.ThreadId}/runs/{run.Id}/steps?order=asc"))!["data"]!.AsArray();
        var calls = steps
            .SelectMany(s => s!["step_details"]!["tool_calls"]?.AsArray() ?? [])
            .ToDictionary(c => c!["id"]!.GetValue<string>(), c => c!);
        Assert.All(calls.Values, c => Assert.Equal("agent_toolset_20260401", c["type"]!.GetValue<string>()));
        JsonNode Record(string id) => calls[id]["agent_toolset_20260401"]!;
        Assert.Equal("/mnt/data/app\n", Record("call_bash")["output"]!.GetValue<string>());
        Assert.Equal(0, Record("call_bash")["exit_code"]!.GetValue<int>());
        Assert.Equal(container.Id, Record("call_bash")["container_id"]!.GetValue<string>());
        Assert.Contains("1 occurrence replaced", Record("call_edit")["output"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("     1\tgreeting = \"hello, world\"\n", Record("call_read")["output"]!.GetValue<string>());
        Assert.False(Record("call_read")["is_error"]!.GetValue<bool>());

        // Each result reached the model, as the call's output.
        var results = server.Upstream.Requests.Last()["messages"]!.AsArray()
            .Where(m => m!["role"]!.GetValue<string>() == "tool")
            .ToDictionary(m => m!["tool_call_id"]!.GetValue<string>(), m => m!["content"]!.ToJsonString());
        Assert.Contains("/mnt/data/app", results["call_bash"], StringComparison.Ordinal);
        Assert.Contains("occurrence replaced", results["call_edit"], StringComparison.Ordinal);
        Assert.Contains("hello, world", results["call_read"], StringComparison.Ordinal);

        // What bash and edit wrote is the container's file.
        var files = await server.Containers().GetContainerFilesAsync(new ContainerFileCollectionOptions(container.Id)).ToListAsync();
        var main = Assert.Single(files, f => f.Path == "/mnt/data/app/main.py");
        Assert.Equal("greeting = \"hello, world\"\n", (await server.Containers().DownloadContainerFileAsync(container.Id, main.Id)).Value.ToString());
    }
}

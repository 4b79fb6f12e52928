using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;
using OpenAI.Assistants;
using OpenAI.Files;
using OpenAI.VectorStores;

namespace AgentHost.Server.Tests.SubAssistants;

/// <summary>The <c>assistant</c> tool end to end: an orchestrator delegating to sub-assistants, through the official OpenAI SDK.</summary>
public sealed class SubAssistantTests
{
    private static readonly Dictionary<string, string?> OneWorker = new()
    {
        ["AgentHost:Runs:MaxConcurrentRuns"] = "1",
        ["AgentHost:Sandbox:PrewarmSession"] = "false",
    };

    [RequiresFact("bwrap")]
    public async Task Orchestrator_WithACodingAndAResearchSubAssistant_AnswersWithBoth_StepsChildThreadsTraceAndCostRollUp()
    {
        await using var server = await AgentHostServer.StartAsync(settings: OneWorker);
        var client = server.Assistants();
        OpenAIFile doc = await server.Files().UploadFileAsync(BinaryData.FromString("# Bread\n\nSourdough bread rises with a wild yeast starter."), "bread.md", FileUploadPurpose.Assistants);
        var stores = server.VectorStores();
        VectorStore store = await stores.CreateVectorStoreAsync(new VectorStoreCreationOptions { FileIds = { doc.Id } });
        using var http = server.Http();
        await VectorStorePolling.WaitUntilIngestedAsync(http, store.Id);
        Assistant coder = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Name = "coder", Instructions = "You run Python.", Tools = { new CodeInterpreterToolDefinition() } });
        Assistant researcher = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions
        {
            Name = "researcher",
            Instructions = "You search the documents.",
            Tools = { new FileSearchToolDefinition() },
            ToolResources = new ToolResources { FileSearch = new FileSearchToolResources { VectorStoreIds = { store.Id } } },
        });
        var orchestratorId = await CreateOrchestratorAsync(http, coder.Id, researcher.Id);

        // One upstream script, in the order the calls happen: the engine runs the two sub-assistant calls one after the other.
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_code", "coder", """{"task":"Compute 6*7 in Python."}"""), ("call_research", "researcher", """{"task":"How does sourdough rise?"}""")),
            ScriptedTurn.Call(("call_ci", "code_interpreter", """{"code":"print(6*7)"}""")),
            ScriptedTurn.Say("6*7 is 42."),
            ScriptedTurn.Call(("call_fs", "file_search", """{"queries":["sourdough rising"]}""")),
            ScriptedTurn.Say("It rises with a wild yeast starter."),
            ScriptedTurn.Say("42, and sourdough rises with wild yeast."));

        ThreadRun run = await client.CreateThreadAndRunAsync(orchestratorId, new ThreadCreationOptions { InitialMessages = { "What is 6*7, and how does sourdough rise?" } });
        run = await client.WaitAsync(run);

        Assert.True(run.Status == RunStatus.Completed, run.LastError?.Message);
        var answer = (await client.GetMessagesAsync(run.ThreadId, new MessageCollectionOptions { Order = MessageCollectionOrder.Descending }).ToListAsync())[0];
        Assert.Equal("42, and sourdough rises with wild yeast.", answer.Content[0].Text);

        // The parent's step shows each child's thread, run and answer.
        var steps = JsonNode.Parse(await http.GetStringAsync($"threads/{run.ThreadId}/runs/{run.Id}/steps?order=asc"))!["data"]!.AsArray();
        var calls = steps.Single(s => s!["type"]!.GetValue<string>() == "tool_calls")!["step_details"]!["tool_calls"]!.AsArray().Select(c => c!).ToList();
        Assert.Equal(["assistant", "assistant"], calls.Select(c => c["type"]!.GetValue<string>()));
        var code = calls[0]["assistant"]!;
        var research = calls[1]["assistant"]!;
        Assert.Equal((coder.Id, "6*7 is 42."), (code["assistant_id"]!.GetValue<string>(), code["output"]!.GetValue<string>()));
        Assert.Equal((researcher.Id, "It rises with a wild yeast starter."), (research["assistant_id"]!.GetValue<string>(), research["output"]!.GetValue<string>()));

        // The children are normal threads and runs, linked to the parent, readable through the SDK.
        ThreadRun codeRun = await client.GetRunAsync(code["thread_id"]!.GetValue<string>(), code["run_id"]!.GetValue<string>());
        ThreadRun researchRun = await client.GetRunAsync(research["thread_id"]!.GetValue<string>(), research["run_id"]!.GetValue<string>());
        Assert.Equal((RunStatus.Completed, coder.Id), (codeRun.Status, codeRun.AssistantId));
        Assert.Equal((RunStatus.Completed, researcher.Id), (researchRun.Status, researchRun.AssistantId));
        AssistantThread codeThread = await client.GetThreadAsync(codeRun.ThreadId);
        Assert.Equal((run.Id, run.ThreadId, "call_code"), (codeThread.Metadata["agenthost_parent_run"], codeThread.Metadata["agenthost_parent_thread"], codeThread.Metadata["agenthost_parent_call"]));
        var codeSteps = await client.GetRunStepsAsync(codeRun.ThreadId, codeRun.Id).ToListAsync();
        var ci = Assert.Single(codeSteps, s => s.Kind == RunStepKind.ToolCall).Details.ToolCalls.Single();
        Assert.Equal("42\n", ci.CodeInterpreterOutputs[0].Logs);
        var researchSteps = await client.GetRunStepsAsync(researchRun.ThreadId, researchRun.Id).ToListAsync();
        var fs = Assert.Single(researchSteps, s => s.Kind == RunStepKind.ToolCall).Details.ToolCalls.Single();
        Assert.Equal(doc.Id, fs.FileSearchResults[0].FileId);
        var codeMessages = await client.GetMessagesAsync(codeRun.ThreadId, new MessageCollectionOptions { Order = MessageCollectionOrder.Ascending }).ToListAsync();
        Assert.Equal(["Compute 6*7 in Python.", "6*7 is 42."], codeMessages.Select(m => m.Content[0].Text));

        // Trace tree: the parent's trace has its two model calls and a tool span per child; each child's trace has its own calls.
        var parentTrace = JsonNode.Parse(await http.GetStringAsync($"threads/{run.ThreadId}/runs/{run.Id}/trace"))!;
        var spans = parentTrace["spans"]!.AsArray().Select(s => s!).ToList();
        Assert.Equal(["model_call", "tool_call", "tool_call", "model_call"], spans.Select(s => s["kind"]!.GetValue<string>()));
        Assert.Equal(["assistant:coder", "assistant:researcher"], spans.Where(s => s["kind"]!.GetValue<string>() == "tool_call").Select(s => s["tool_type"]!.GetValue<string>()));
        var codeTrace = JsonNode.Parse(await http.GetStringAsync($"threads/{codeRun.ThreadId}/runs/{codeRun.Id}/trace"))!;
        var researchTrace = JsonNode.Parse(await http.GetStringAsync($"threads/{researchRun.ThreadId}/runs/{researchRun.Id}/trace"))!;
        Assert.Equal(["model_call", "tool_call", "model_call"], codeTrace["spans"]!.AsArray().Select(s => s!["kind"]!.GetValue<string>()));

        // Cost roll-up: the parent's cost is its own calls plus every child's, each priced once.
        var parentOwn = ModelCallCosts(parentTrace);
        var childCosts = ModelCallCosts(codeTrace) + ModelCallCosts(researchTrace);
        var runJson = JsonNode.Parse(await http.GetStringAsync($"threads/{run.ThreadId}/runs/{run.Id}"))!;
        Assert.True(childCosts > 0);
        Assert.Equal(parentOwn + childCosts, runJson["cost"]!["total_usd"]!.GetValue<decimal>());
        Assert.Equal(6, runJson["cost"]!["model_calls"]!.GetValue<int>());
        var codeRunJson = JsonNode.Parse(await http.GetStringAsync($"threads/{codeRun.ThreadId}/runs/{codeRun.Id}"))!;
        Assert.Equal(ModelCallCosts(codeTrace), codeRunJson["cost"]!["total_usd"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task WithOneWorkerSlot_AnOrchestratorWithTwoSubAssistantsCompletes_AndAFailingChildIsAnErrorTheParentReads()
    {
        await using var server = await AgentHostServer.StartAsync(settings: OneWorker);
        var client = server.Assistants();
        Assistant first = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Name = "first" });
        Assistant second = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Name = "second" });
        using var http = server.Http();
        var orchestratorId = await CreateOrchestratorAsync(http, first.Id, second.Id);
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_1", "first", """{"task":"one"}"""), ("call_2", "second", """{"task":"two"}""")),
            ScriptedTurn.Say("first done"),
            new ScriptedTurn { Status = 400, ErrorType = "invalid_request_error" },
            ScriptedTurn.Say("First answered; second failed."));

        ThreadRun run = await client.CreateThreadAndRunAsync(orchestratorId, new ThreadCreationOptions { InitialMessages = { "Do both." } });
        run = await client.WaitAsync(run);

        Assert.True(run.Status == RunStatus.Completed, run.LastError?.Message);
        var toolMessage = server.Upstream.Requests.Last()["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "tool").Select(m => m!["content"]!.ToJsonString()).ToList();
        Assert.Contains("first done", toolMessage[0], StringComparison.Ordinal);
        Assert.Contains("Error: the sub-assistant run", toolMessage[1], StringComparison.Ordinal);
        Assert.Contains("ended failed", toolMessage[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASubAssistantWithFunctionTools_IsRefusedAtCreate_AsIsAMissingOne()
    {
        await using var server = await AgentHostServer.StartAsync();
        var client = server.Assistants();
        Assistant withFunctions = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Tools = { new FunctionToolDefinition("get_weather") } });
        using var http = server.Http();

        var refused = await http.PostAsJsonAsync("assistants", new JsonObject { ["model"] = "gpt-4o", ["tools"] = new JsonArray(new JsonObject { ["type"] = "assistant", ["assistant_id"] = withFunctions.Id }) });
        var missing = await http.PostAsJsonAsync("assistants", new JsonObject { ["model"] = "gpt-4o", ["tools"] = new JsonArray(new JsonObject { ["type"] = "assistant", ["assistant_id"] = "asst_nope" }) });
        var noId = await http.PostAsJsonAsync("assistants", new JsonObject { ["model"] = "gpt-4o", ["tools"] = new JsonArray(new JsonObject { ["type"] = "assistant" }) });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("tools[0].assistant_id", error["param"]!.GetValue<string>());
        Assert.Contains("function tools", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noId.StatusCode);
    }

    [Fact]
    public async Task CancellingTheParent_CancelsTheChildMidCall()
    {
        await using var server = await AgentHostServer.StartAsync(settings: OneWorker);
        var client = server.Assistants();
        Assistant child = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Name = "slow" });
        using var http = server.Http();
        var orchestratorId = await CreateOrchestratorAsync(http, child.Id);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_1", "slow", """{"task":"take your time"}""")), ScriptedTurn.Say("never") with { Gate = hold });

        ThreadRun run = await client.CreateThreadAndRunAsync(orchestratorId, new ThreadCreationOptions { InitialMessages = { "Go." } });
        var childRun = await WaitForChildRunAsync(http, run);
        await client.CancelRunAsync(run.ThreadId, run.Id);
        run = await client.WaitAsync(run);
        hold.TrySetResult();

        Assert.Equal(RunStatus.Cancelled, run.Status);
        ThreadRun ended = await client.GetRunAsync(childRun.ThreadId, childRun.RunId);
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ended.Status != RunStatus.Cancelled && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(50);
            ended = await client.GetRunAsync(childRun.ThreadId, childRun.RunId);
        }

        Assert.Equal(RunStatus.Cancelled, ended.Status);
    }

    private static async Task<(string ThreadId, string RunId)> WaitForChildRunAsync(HttpClient http, ThreadRun parent)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var threads = JsonNode.Parse(await http.GetStringAsync($"threads/{parent.ThreadId}/runs/{parent.Id}/steps"))!["data"]!.AsArray();
            var call = threads.Select(s => s!["step_details"]!["tool_calls"]).OfType<JsonArray>().SelectMany(c => c).FirstOrDefault();
            if (call?["assistant"]?["run_id"] is { } runId)
            {
                return (call["assistant"]!["thread_id"]!.GetValue<string>(), runId.GetValue<string>());
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The child run never showed in the parent's step.");
    }

    private static async Task<string> CreateOrchestratorAsync(HttpClient http, params string[] subAssistantIds)
    {
        var tools = new JsonArray([.. subAssistantIds.Select(id => (JsonNode)new JsonObject { ["type"] = "assistant", ["assistant_id"] = id })]);
        var response = await http.PostAsJsonAsync("assistants", new JsonObject { ["model"] = "gpt-4o", ["name"] = "orchestrator", ["instructions"] = "Delegate.", ["tools"] = tools });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    private static decimal ModelCallCosts(JsonNode trace) =>
        trace["spans"]!.AsArray().Where(s => s!["kind"]!.GetValue<string>() == "model_call").Sum(s => s!["cost"]!["total_usd"]!.GetValue<decimal>());
}

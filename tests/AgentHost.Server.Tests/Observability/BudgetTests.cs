using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using OpenAI.Assistants;

namespace AgentHost.Server.Tests.Observability;

public sealed class BudgetTests
{
    [Fact]
    public async Task RunBudget_StopsTheRunIncompleteBeforeTheCallThatWouldOverspend()
    {
        await using var server = await AgentHostServer.StartAsync();
        // The first call costs 1,000 prompt tokens × $2.50 + 100 out × $10 per million = $0.0035 on gpt-4o. The
        // second call's worst case (its prompt, uncached, and the 200 output tokens left of max_completion_tokens,
        // over $0.002) would take the run past its $0.005 budget, so it is never made.
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_1", "lookup", "{}")) with { PromptTokens = 1000, CompletionTokens = 100 },
            ScriptedTurn.Say("should not be asked") with { PromptTokens = 1000, CompletionTokens = 100 });
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Tools = { new FunctionToolDefinition("lookup") } });
        ThreadRun run = await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "look it up" } }, new RunCreationOptions
        {
            Metadata = { ["agenthost_budget_usd"] = "0.005" },
            MaxOutputTokenCount = 300,
        });
        run = await client.WaitAsync(run);
        Assert.Equal(RunStatus.RequiresAction, run.Status);

        run = await client.SubmitToolOutputsToRunAsync(run.ThreadId, run.Id, [new ToolOutput("call_1", "found")]);
        run = await client.WaitAsync(run);

        Assert.Equal(RunStatus.Incomplete, run.Status);
        Assert.Equal("run_budget_exceeded", run.IncompleteDetails.Reason.ToString());
        Assert.Single(server.Upstream.Requests);
        using var http = server.Http();
        var runJson = JsonNode.Parse(await http.GetStringAsync($"threads/{run.ThreadId}/runs/{run.Id}"))!;
        Assert.Equal(0.0035m, runJson["cost"]!["total_usd"]!.GetValue<decimal>());
        var trace = JsonNode.Parse(await http.GetStringAsync($"threads/{run.ThreadId}/runs/{run.Id}/trace"))!;
        var stop = trace["spans"]!.AsArray().Last()!;
        Assert.Equal("budget_stop", stop["kind"]!.GetValue<string>());
        Assert.Contains("over its budget of $0.005", stop["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssistantTokenBudget_InItsMetadata_StopsItsNextRunOnceSpent()
    {
        await using var server = await AgentHostServer.StartAsync();
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Metadata = { ["agenthost_budget_tokens"] = "2200" } });
        server.Upstream.Enqueue(ScriptedTurn.Say("one") with { PromptTokens = 2000, CompletionTokens = 10 });

        var first = await client.WaitAsync(await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "hi" } }, new RunCreationOptions { MaxOutputTokenCount = 300 }));
        var second = await client.WaitAsync(await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "again" } }, new RunCreationOptions { MaxOutputTokenCount = 300 }));

        Assert.Equal(RunStatus.Completed, first.Status);
        Assert.Equal(RunStatus.Incomplete, second.Status);
        Assert.Equal("assistant_budget_exceeded", second.IncompleteDetails.Reason.ToString());
        Assert.Single(server.Upstream.Requests);
    }
}

using System.Text.Json.Nodes;
using AgentHost.Core.Sandbox;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Assistants;
using OpenAI.Files;

namespace AgentHost.Server.Tests.CodeInterpreter;

/// <summary>The code_interpreter tool end to end: official SDK, real server, real bubblewrap sandbox, scripted model.</summary>
public sealed class CodeInterpreterTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["AgentHost:Sandbox:PrewarmSession"] = "false",
    };

    [Fact]
    public async Task CsvAnalysis_RunsInTheSandbox_ShowsChart_AndStateCarriesToTheNextRun()
    {
        await using var server = await AgentHostServer.StartAsync(settings: Settings);
        var client = server.Assistants();
        var files = server.Files();
        OpenAIFile csv = await files.UploadFileAsync(BinaryData.FromString("city,temp\nOslo,10\nRome,30\nLima,20\n"), "temps.csv", FileUploadPurpose.Assistants);

        const string code = """
            import pandas as pd
            import matplotlib.pyplot as plt
            df = pd.read_csv('/mnt/data/temps.csv')
            mean_temp = df.temp.mean()
            print('mean', mean_temp)
            df.plot.bar(x='city', y='temp')
            plt.savefig('/mnt/data/chart.png')
            """;
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_ci1", "code_interpreter", new JsonObject { ["code"] = code }.ToJsonString())),
            ScriptedTurn.Say("The mean is 20. [Download the chart](sandbox:/mnt/data/chart.png)"));

        Assistant assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Tools = { new CodeInterpreterToolDefinition() } });
        var message = new ThreadInitializationMessage(MessageRole.User, ["Chart the temperatures."])
        {
            Attachments = { new MessageCreationAttachment(csv.Id, [new CodeInterpreterToolDefinition()]) },
        };
        ThreadRun run = await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { message } });
        run = await client.WaitAsync(run);

        Assert.True(run.Status == RunStatus.Completed, run.LastError?.Message);
        var steps = await client.GetRunStepsAsync(run.ThreadId, run.Id, new RunStepCollectionOptions { Order = RunStepCollectionOrder.Ascending }).ToListAsync();
        Assert.Equal([RunStepKind.ToolCall, RunStepKind.CreatedMessage], steps.Select(s => s.Kind));
        var call = Assert.Single(steps[0].Details.ToolCalls);
        Assert.Equal(RunStepToolCallKind.CodeInterpreter, call.Kind);
        Assert.Equal(code, call.CodeInterpreterInput);
        Assert.Equal("mean 20.0\n", call.CodeInterpreterOutputs[0].Logs);
        var imageId = call.CodeInterpreterOutputs[1].ImageFileId;
        Assert.False(string.IsNullOrEmpty(imageId));

        var toolResult = server.Upstream.Requests.Last()["messages"]!.AsArray().Single(m => m!["role"]!.GetValue<string>() == "tool")!;
        Assert.Contains("mean 20.0", toolResult["content"]!.ToJsonString(), StringComparison.Ordinal);

        var reply = (await client.GetMessagesAsync(run.ThreadId, new MessageCollectionOptions { Order = MessageCollectionOrder.Descending }).ToListAsync())[0];
        Assert.Equal(imageId, reply.Content[0].ImageFileId);
        var text = reply.Content[1];
        var link = Assert.Single(text.TextAnnotations);
        Assert.Equal("sandbox:/mnt/data/chart.png", link.TextToReplace);
        Assert.Equal(text.Text.IndexOf("sandbox:", StringComparison.Ordinal), link.StartIndex);
        Assert.Equal(link.StartIndex + link.TextToReplace.Length, link.EndIndex);

        OpenAIFile chart = await files.GetFileAsync(link.OutputFileId);
        Assert.Equal("/mnt/data/chart.png", chart.Filename);
        Assert.Equal(FilePurpose.AssistantsOutput, chart.Purpose);
        Assert.True(IsPng((await files.DownloadFileAsync(link.OutputFileId)).Value.ToArray()));
        Assert.True(IsPng((await files.DownloadFileAsync(imageId)).Value.ToArray()));

        // Second run, same thread, streamed: the variable from the first run is still there.
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_ci2", "code_interpreter", """{"code":"print(mean_temp * 2)"}""")),
            ScriptedTurn.Say("Twice the mean is 40."));
        await client.CreateMessageAsync(run.ThreadId, MessageRole.User, ["Double it."]);
        var inputs = new List<string>();
        var logs = new List<string>();
        ThreadRun? second = null;
        await foreach (var update in await client.CreateRunStreamingAsync(run.ThreadId, assistant.Id, new RunCreationOptions()))
        {
            if (update is RunStepDetailsUpdate details)
            {
                inputs.Add(details.CodeInterpreterInput ?? string.Empty);
                logs.AddRange(details.CodeInterpreterOutputs?.Select(o => o.Logs ?? string.Empty) ?? []);
            }
            else if (update is RunUpdate { UpdateKind: StreamingUpdateReason.RunCompleted } completed)
            {
                second = completed.Value;
            }
        }

        Assert.NotNull(second);
        Assert.Equal("print(mean_temp * 2)", string.Concat(inputs));
        Assert.Equal("40.0\n", string.Concat(logs));
        var secondSteps = await client.GetRunStepsAsync(run.ThreadId, second.Id).ToListAsync();
        var secondCall = secondSteps.Single(s => s.Kind == RunStepKind.ToolCall).Details.ToolCalls[0];
        Assert.Equal("40.0\n", secondCall.CodeInterpreterOutputs[0].Logs);
    }

    [Fact]
    public async Task WithoutBubblewrap_ARunCallingCodeInterpreter_FailsSayingWhatToInstall()
    {
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:Sandbox:BubblewrapPath"] = "/nonexistent/bwrap" });
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_ci", "code_interpreter", """{"code":"print(1)"}""")));
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Tools = { new CodeInterpreterToolDefinition() } });

        ThreadRun run = await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "Run it." } });
        run = await client.WaitAsync(run);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("apt-get install bubblewrap", run.LastError.Message);
    }

    [Fact]
    public async Task ACrashedSession_IsReplaced_AndTheModelIsToldStateWasReset()
    {
        await using var server = await AgentHostServer.StartAsync(b => b.Services.PostConfigure<SandboxOptions>(o => o.Preload = ""), Settings);
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_a", "code_interpreter", """{"code":"x = 1\nimport os\nos._exit(3)"}""")),
            ScriptedTurn.Call(("call_b", "code_interpreter", """{"code":"print('x' in globals())"}""")),
            ScriptedTurn.Say("State was lost."));
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Tools = { new CodeInterpreterToolDefinition() } });

        ThreadRun run = await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "Go." } });
        run = await client.WaitAsync(run);

        Assert.True(run.Status == RunStatus.Completed, run.LastError?.Message);
        var calls = (await client.GetRunStepsAsync(run.ThreadId, run.Id, new RunStepCollectionOptions { Order = RunStepCollectionOrder.Ascending }).ToListAsync())
            .Where(s => s.Kind == RunStepKind.ToolCall).Select(s => s.Details.ToolCalls[0].CodeInterpreterOutputs[0].Logs).ToList();
        Assert.Contains("The Python process exited unexpectedly", calls[0]);
        Assert.StartsWith("[AgentHost: this is a new Python session", calls[1]);
        Assert.EndsWith("False\n", calls[1]);
    }

    [Fact]
    public async Task AfterARestart_TheThreadsFirstCall_IsToldItsPythonStateIsGone()
    {
        var dataDir = Directory.CreateTempSubdirectory("agenthost-ci-restart-").FullName;
        var settings = new Dictionary<string, string?>(Settings) { ["AgentHost:DataDir"] = dataDir };
        string threadId, assistantId;
        await using (var server = await AgentHostServer.StartAsync(settings: settings))
        {
            server.Upstream.Enqueue(ScriptedTurn.Call(("call_a", "code_interpreter", """{"code":"x = 1\nprint(x)"}""")), ScriptedTurn.Say("Set."));
            var client = server.Assistants();
            Assistant assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Tools = { new CodeInterpreterToolDefinition() } });
            ThreadRun run = await client.WaitAsync(await client.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "Set x." } }));
            Assert.True(run.Status == RunStatus.Completed, run.LastError?.Message);
            (threadId, assistantId) = (run.ThreadId, assistant.Id);
        }

        await using (var server = await AgentHostServer.StartAsync(settings: settings))
        {
            server.Upstream.Enqueue(ScriptedTurn.Call(("call_b", "code_interpreter", """{"code":"print('x' in globals())"}""")), ScriptedTurn.Say("Lost."));
            var client = server.Assistants();
            ThreadRun run = await client.WaitAsync(await client.CreateRunAsync(threadId, assistantId));

            Assert.True(run.Status == RunStatus.Completed, run.LastError?.Message);
            var step = (await client.GetRunStepsAsync(threadId, run.Id).ToListAsync()).Single(s => s.Kind == RunStepKind.ToolCall);
            var logs = step.Details.ToolCalls[0].CodeInterpreterOutputs[0].Logs;
            Assert.StartsWith("[AgentHost: this is a new Python session", logs);
            Assert.EndsWith("False\n", logs);
        }

        Directory.Delete(dataDir, recursive: true);
    }

    private static bool IsPng(byte[] bytes) => bytes.Length > 8 && bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
}

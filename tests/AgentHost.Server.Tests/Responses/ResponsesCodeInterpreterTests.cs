using System.ClientModel;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;
using OpenAI.Containers;
using OpenAI.Files;
using OpenAI.Responses;

namespace AgentHost.Server.Tests.Responses;

/// <summary>
/// The <c>code_interpreter</c> tool on responses, over Containers, through the SDK's <see cref="ResponsesClient"/>: code runs in
/// the response's container with its files, state carries along a <c>previous_response_id</c> chain, written files become
/// container files cited by <c>container_file_citation</c>, and outputs show under <c>include</c>.
/// </summary>
public sealed class ResponsesCodeInterpreterTests
{
    private static readonly Dictionary<string, string?> Settings = new() { ["AgentHost:Sandbox:PrewarmSession"] = "false", ["AgentHost:Sandbox:Preload"] = "" };

    [RequiresTheory("bwrap")]
    [InlineData(CompatClients.Gpt)]
    [InlineData(CompatClients.Claude)]
    public async Task AutoContainer_RunsCodeOnItsFiles_CitesWrittenFiles_AndKeepsStateAlongTheChain(string model)
    {
        await using var server = await AgentHostServer.StartAsync(settings: Settings);
        OpenAIFile csv = await server.Files().UploadFileAsync(BinaryData.FromString("x,y\n1,2\n2,4\n"), "data.csv", FileUploadPurpose.Assistants);
        const string code = "rows = open('/mnt/data/data.csv').read().split()[1:]\ntotal = sum(int(r.split(',')[1]) for r in rows)\nopen('/mnt/data/total.txt', 'w').write(str(total))\nprint('total', total)";
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_ci1", "code_interpreter", new JsonObject { ["code"] = code }.ToJsonString())),
            ScriptedTurn.Say("The total is 6: [total.txt](sandbox:/mnt/data/total.txt)"));
        var client = server.Responses();
        var tool = ResponseTool.CreateCodeInterpreterTool(new CodeInterpreterToolContainer(
            CodeInterpreterToolContainerConfiguration.CreateAutomaticContainerConfiguration([csv.Id])));

        ResponseResult first = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = model,
            InputItems = { ResponseItem.CreateUserMessageItem("Sum the y column and save it.") },
            Tools = { tool },
            IncludedProperties = { IncludedResponseProperty.CodeInterpreterCallOutputs },
        });

        Assert.Equal(ResponseStatus.Completed, first.Status);
        Assert.Equal(2, first.OutputItems.Count);
        var call = Assert.IsType<CodeInterpreterCallResponseItem>(first.OutputItems[0]);
        Assert.Equal(CodeInterpreterCallStatus.Completed, call.Status);
        Assert.Equal(code, call.Code);
        Assert.StartsWith("cntr_", call.ContainerId, StringComparison.Ordinal);
        Assert.Equal("total 6\n", Assert.IsType<CodeInterpreterCallLogsOutput>(Assert.Single(call.Outputs)).Logs);
        var part = Assert.IsAssignableFrom<MessageResponseItem>(first.OutputItems[1]).Content[0];
        var citation = Assert.IsType<ContainerFileCitationMessageAnnotation>(Assert.Single(part.OutputTextAnnotations));
        Assert.Equal(call.ContainerId, citation.ContainerId);
        Assert.Equal("total.txt", citation.Filename);
        Assert.Equal(part.Text.IndexOf("sandbox:", StringComparison.Ordinal), citation.StartIndex);
        Assert.Equal(citation.StartIndex + "sandbox:/mnt/data/total.txt".Length, citation.EndIndex);
        Assert.Equal("6", (await server.Containers().DownloadContainerFileAsync(citation.ContainerId, citation.FileId)).Value.ToString());
        Assert.Contains("total 6", server.Upstream.Requests.Last().ToJsonString(), StringComparison.Ordinal);

        // Without include, the outputs are not shown.
        ResponseResult fetched = await client.GetResponseAsync(first.Id);
        Assert.Empty(Assert.IsType<CodeInterpreterCallResponseItem>(fetched.OutputItems[0]).Outputs);

        // The next response of the chain reuses the running container: the variable is still there.
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_ci2", "code_interpreter", """{"code":"print(total * 10)"}""")),
            ScriptedTurn.Say("Sixty."));
        ResponseResult second = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = model,
            PreviousResponseId = first.Id,
            InputItems = { ResponseItem.CreateUserMessageItem("Times ten?") },
            Tools = { tool },
            IncludedProperties = { IncludedResponseProperty.CodeInterpreterCallOutputs },
        });

        var again = Assert.IsType<CodeInterpreterCallResponseItem>(second.OutputItems[0]);
        Assert.Equal(call.ContainerId, again.ContainerId);
        Assert.Equal("60\n", Assert.IsType<CodeInterpreterCallLogsOutput>(Assert.Single(again.Outputs)).Logs);
        var history = server.Upstream.Requests.ToArray()[^2].ToJsonString();
        Assert.True(history.Contains("total 6", StringComparison.Ordinal), history);
    }

    [RequiresFact("bwrap")]
    public async Task ContainerById_RunsThere_AndAnUnknownContainerIs404()
    {
        await using var server = await AgentHostServer.StartAsync(settings: Settings);
        ContainerResource container = await server.Containers().CreateContainerAsync(new ContainerCreationOptions("mine"));
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_ci1", "code_interpreter", """{"code":"import math\nmath.factorial(5)"}""")),
            ScriptedTurn.Say("The factorial of 5 is 120."));
        var client = server.Responses();

        ResponseResult response = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = CompatClients.Gpt,
            InputItems = { ResponseItem.CreateUserMessageItem("Calculate the factorial of 5 using Python code.") },
            Tools = { ResponseTool.CreateCodeInterpreterTool(new CodeInterpreterToolContainer(container.Id)) },
        });

        var call = Assert.IsType<CodeInterpreterCallResponseItem>(response.OutputItems[0]);
        Assert.Equal(container.Id, call.ContainerId);
        Assert.Contains("120", server.Upstream.Requests.Last().ToJsonString(), StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = CompatClients.Gpt,
            InputItems = { ResponseItem.CreateUserMessageItem("Hi") },
            Tools = { ResponseTool.CreateCodeInterpreterTool(new CodeInterpreterToolContainer("cntr_missing")) },
        }));
        Assert.Equal(404, unknown.Status);
        Assert.Contains("cntr_missing", unknown.Message, StringComparison.Ordinal);
    }

    [RequiresFact("bwrap")]
    public async Task Streamed_RendersTheCodeInterpreterEventsAndCitesTheFigure()
    {
        await using var server = await AgentHostServer.StartAsync(settings: Settings);
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_ci1", "code_interpreter", """{"code":"import matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\nplt.plot([1, 2], [2, 4])\nplt.show()"}""")),
            ScriptedTurn.Say("Here is the plot."));
        var client = server.Responses();

        var kinds = new List<string>();
        ResponseResult? done = null;
        await foreach (var update in await client.CreateResponseStreamingAsync(new CreateResponseOptions
        {
            Model = CompatClients.Claude,
            InputItems = { ResponseItem.CreateUserMessageItem("Plot y = 2x.") },
            Tools = { ResponseTool.CreateCodeInterpreterTool(new CodeInterpreterToolContainer(CodeInterpreterToolContainerConfiguration.CreateAutomaticContainerConfiguration())) },
            StreamingEnabled = true,
        }))
        {
            kinds.Add(update.GetType().Name);
            if (update is StreamingResponseCompletedUpdate completed)
            {
                done = completed.Response;
            }
        }

        Assert.NotNull(done);
        Assert.Equal(
            ["StreamingResponseCodeInterpreterCallInProgressUpdate", "StreamingResponseCodeInterpreterCallCodeDeltaUpdate", "StreamingResponseCodeInterpreterCallCodeDoneUpdate",
             "StreamingResponseCodeInterpreterCallInterpretingUpdate", "StreamingResponseCodeInterpreterCallCompletedUpdate"],
            kinds.Where(k => k.Contains("CodeInterpreter", StringComparison.Ordinal)));
        var call = Assert.IsType<CodeInterpreterCallResponseItem>(done.OutputItems[0]);
        var citation = Assert.IsType<ContainerFileCitationMessageAnnotation>(Assert.Single(Assert.IsAssignableFrom<MessageResponseItem>(done.OutputItems[1]).Content[0].OutputTextAnnotations));
        Assert.Equal(call.ContainerId, citation.ContainerId);
        Assert.Equal((0, 0), (citation.StartIndex, citation.EndIndex));
        Assert.EndsWith(".png", citation.Filename, StringComparison.Ordinal);
        var png = (await server.Containers().DownloadContainerFileAsync(call.ContainerId, citation.FileId)).Value.ToArray();
        Assert.Equal((byte)0x89, png[0]);
    }
}

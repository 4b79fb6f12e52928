using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Containers;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Events;
using AgentHost.Core.Sandbox;

namespace AgentHost.Core.Tools.CodeInterpreter;

/// <summary>
/// The <c>code_interpreter</c> of a response: its code runs in the container the front door resolved for the tool
/// (<see cref="ContainerIdSetting"/> in the definition's settings), whose live session keeps state between calls and
/// whose files are <c>/mnt/data</c>. Logs go to the step and the stream; figures and written files become container
/// files, which the message cites as <c>container_file_citation</c> annotations.
/// </summary>
public sealed class ContainerCodeInterpreter(ContainerService containers, ICodeSandbox sandbox, IRunEventSink events)
{
    /// <summary>The setting naming the container a run's <c>code_interpreter</c> tool uses, set by the front door.</summary>
    public const string ContainerIdSetting = "container_id";

    /// <summary>The container a definition names, or null for a thread's own sandbox (Assistants).</summary>
    public static string? ContainerOf(ToolDefinition definition) =>
        definition.Setting(ContainerIdSetting) is { ValueKind: JsonValueKind.String } id ? id.GetString() : null;

    public async Task<ToolCallOutcome> InvokeAsync(ToolInvocation call, string containerId, CancellationToken cancellationToken)
    {
        if (sandbox.UnavailableReason is { } reason)
        {
            // The run fails with this in its error: code is never run outside the sandbox.
            throw new SandboxUnavailableException("The code_interpreter tool is unavailable: " + reason);
        }

        var code = CodeInterpreterTool.CodeOf(call.Arguments);
        ContainerCallResult result;
        await using (var lease = await containers.AcquireAsync(containerId, cancellationToken))
        {
            result = await lease.ExecuteAsync(code, text => events.Publish(Progress(call, 0) with { Logs = text }), cancellationToken);
        }

        var outputs = new JsonArray();
        if (result.Logs.Length > 0)
        {
            outputs.Add(new JsonObject { ["type"] = "logs", ["logs"] = result.Logs });
        }

        foreach (var image in result.Images)
        {
            outputs.Add(new JsonObject { ["type"] = "image", ["file_id"] = image.Id, ["path"] = image.Path });
        }

        var details = new JsonObject
        {
            ["input"] = code,
            [ContainerIdSetting] = containerId,
            ["outputs"] = outputs,
            ["files"] = new JsonArray([.. result.Files.Select(f => (JsonNode)new JsonObject { ["file_id"] = f.Id, ["path"] = f.Path })]),
        };
        return new ToolCallOutcome(new StepToolCall
        {
            Id = call.CallId,
            Type = ToolTypes.CodeInterpreter,
            Details = JsonSerializer.SerializeToElement(details, EngineJsonContext.Default.JsonObject),
        });
    }

    /// <summary>
    /// The message's text with <c>container_file_citation</c> annotations: one per <c>sandbox:/mnt/data/…</c> link to a
    /// container file (spanning the link), and one at index 0 per figure the calls since the last message showed.
    /// </summary>
    public async Task<IReadOnlyList<MessageContent>> CompleteContentAsync(string containerId, IReadOnlyList<RunStep> steps, IReadOnlyList<MessageContent> content,
        CancellationToken cancellationToken)
    {
        var figures = FiguresSinceLastMessage(steps).ToList();
        var completed = new List<MessageContent>(content.Count);
        var first = true;
        foreach (var part in content)
        {
            if (part.Text is not { } text)
            {
                completed.Add(part);
                continue;
            }

            var annotations = new List<JsonElement>(text.Annotations);
            if (first)
            {
                foreach (var (fileId, path) in figures)
                {
                    annotations.Add(Citation(containerId, fileId, path, 0, 0));
                }

                first = false;
            }

            foreach (var (start, length, path) in SandboxLinks.Find(text.Value))
            {
                if (await containers.FileAtPathAsync(containerId, path, cancellationToken) is { } file)
                {
                    annotations.Add(Citation(containerId, file.Id, file.Path, start, start + length));
                }
            }

            completed.Add(part with { Text = text with { Annotations = annotations } });
        }

        return completed;
    }

    /// <summary>What the model reads of a container call's written files: where each is, and how to link it.</summary>
    public static string DescribeFiles(JsonElement details)
    {
        if (!details.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var file in files.EnumerateArray())
        {
            var path = file.GetProperty("path").GetString();
            text.Append("[file ").Append(path).Append(" saved; link it for the user as sandbox:").Append(path).Append("]\n");
        }

        return text.ToString();
    }

    /// <summary>The figures of the container calls since the run's last message: the message being written now shows them.</summary>
    private static IEnumerable<(string FileId, string Path)> FiguresSinceLastMessage(IReadOnlyList<RunStep> steps)
    {
        var start = 0;
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].Type == StepTypes.MessageCreation)
            {
                start = i + 1;
            }
        }

        foreach (var call in steps.Skip(start).SelectMany(s => s.StepDetails.ToolCalls ?? []))
        {
            if (call.Type != ToolTypes.CodeInterpreter || call.Details is not { ValueKind: JsonValueKind.Object } details
                || !details.TryGetProperty("outputs", out var outputs) || outputs.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var output in outputs.EnumerateArray())
            {
                if (output.TryGetProperty("path", out var path) && output.TryGetProperty("file_id", out var fileId))
                {
                    yield return (fileId.GetString()!, path.GetString()!);
                }
            }
        }
    }

    private static JsonElement Citation(string containerId, string fileId, string path, int start, int end) =>
        JsonSerializer.SerializeToElement(new JsonObject
        {
            ["type"] = "container_file_citation",
            ["container_id"] = containerId,
            ["end_index"] = end,
            ["file_id"] = fileId,
            ["filename"] = Path.GetFileName(path),
            ["start_index"] = start,
        }, EngineJsonContext.Default.JsonObject);

    private static ToolCallProgress Progress(ToolInvocation call, int outputIndex) => new()
    {
        RunId = call.Run.Id, StepId = call.StepId, Index = call.Index, CallId = call.CallId, ToolType = ToolTypes.CodeInterpreter, OutputIndex = outputIndex,
    };
}

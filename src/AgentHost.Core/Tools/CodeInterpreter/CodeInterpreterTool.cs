using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Events;
using AgentHost.Core.Files;
using AgentHost.Core.Sandbox;
using AgentHost.Core.Storage;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tools.CodeInterpreter;

/// <summary>
/// The Assistants API's <c>code_interpreter</c>: the model's Python runs in the thread's sandbox session with the
/// run's files under <c>/mnt/data</c>; logs and charts go to the step, charts and written files to the file store.
/// A definition naming a container (the Responses API's tool) runs in that container instead (<see cref="ContainerCodeInterpreter"/>).
/// </summary>
public sealed class CodeInterpreterTool(
    CodeInterpreterSessions sessions, ICodeSandbox sandbox, IAgentStore store, IFileStore files, IRunEventSink events,
    ContainerCodeInterpreter? containers = null)
    : IToolSource, IMessageContentContributor
{
    /// <summary>How many of a thread's latest runs <see cref="CalledBeforeAsync"/> looks at; older sessions would have idled out.</summary>
    private const int RecentRuns = 10;

    private const string Description =
        "Runs Python 3 in a stateful, Jupyter-like session: variables, imports and files persist between calls in this thread. "
        + "The value of the last expression is printed. pandas, numpy and matplotlib are available; there is no internet access. "
        + "Files the user provided are in /mnt/data (list them with os.listdir('/mnt/data')). "
        + "Charts shown with plt.show() or left open are displayed to the user. Save files for the user to /mnt/data and link them as sandbox:/mnt/data/<name>.";

    private static readonly JsonElement Parameters = JsonDocument.Parse("""
        {"type":"object","properties":{"code":{"type":"string","description":"The Python code to run."}},"required":["code"]}
        """).RootElement.Clone();

    private static readonly AIFunctionDeclaration Declaration = AIFunctionFactory.CreateDeclaration(ToolTypes.CodeInterpreter, Description, Parameters);

    public string Type => ToolTypes.CodeInterpreter;

    public IReadOnlyCollection<string> Types { get; } = [ToolTypes.CodeInterpreter];

    public ValueTask<IReadOnlyList<AIFunctionDeclaration>> DeclareAsync(ThreadRun run, ToolDefinition definition, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<AIFunctionDeclaration>>([Declaration]);

    public async Task<ToolCallOutcome> InvokeAsync(ToolInvocation call, CancellationToken cancellationToken)
    {
        if (ContainerCodeInterpreter.ContainerOf(call.Definition) is { } containerId)
        {
            // Only a host with Containers names a container (the server; an embedding application without them never does).
            return await (containers ?? throw new InvalidOperationException("This host has no Containers: register ContainerCodeInterpreter to run code in a container."))
                .InvokeAsync(call, containerId, cancellationToken);
        }

        if (sandbox.UnavailableReason is { } reason)
        {
            // The run fails with this in last_error: code is never run outside the sandbox.
            throw new SandboxUnavailableException("The code_interpreter tool is unavailable: " + reason);
        }

        var run = call.Run;
        var code = CodeOf(call.Arguments);

        var published = new StringBuilder();
        void PublishLogs(string text)
        {
            published.Append(text);
            events.Publish(Progress(call, 0) with { Logs = text });
        }

        SandboxResult result;
        var outputs = new JsonArray();
        using (var lease = await sessions.AcquireAsync(run.ThreadId, ct => CalledBeforeAsync(call, ct), cancellationToken))
        {
            var preface = (lease.ResetNotice ?? string.Empty) + await CopyInputsAsync(lease, run, cancellationToken);
            if (preface.Length > 0)
            {
                PublishLogs(preface);
            }

            result = await lease.Session.ExecuteAsync(code, PublishLogs, cancellationToken);
            var logs = preface + result.Logs;
            if (logs.Length > published.Length && logs.StartsWith(published.ToString(), StringComparison.Ordinal))
            {
                PublishLogs(logs[published.Length..]);
            }

            if (logs.Length > 0)
            {
                outputs.Add(new JsonObject { ["type"] = "logs", ["logs"] = logs });
            }

            for (var i = 0; i < result.Images.Count; i++)
            {
                var image = await SaveAsync($"figure_{i + 1}.png", result.Images[i], cancellationToken);
                events.Publish(Progress(call, outputs.Count) with { ImageFileId = image.Id });
                outputs.Add(new JsonObject { ["type"] = "image", ["image"] = new JsonObject { ["file_id"] = image.Id } });
            }

            foreach (var written in result.Files)
            {
                var path = "/mnt/data/" + written.Name;
                var stored = await SaveAsync(path, written.Content, cancellationToken);
                lease.RecordOutput(path, stored.Id);
            }
        }

        var details = new JsonObject { ["input"] = code, ["outputs"] = outputs };
        return new ToolCallOutcome(new StepToolCall
        {
            Id = call.CallId,
            Type = Type,
            Details = JsonSerializer.SerializeToElement(details, EngineJsonContext.Default.JsonObject),
        });
    }

    /// <summary>
    /// Whether the thread's recent runs (this one included) ran code before this call: then a session this node starts
    /// for it is a replacement (the first was on another node, or before a restart), and the model is told its state is gone.
    /// </summary>
    private async Task<bool> CalledBeforeAsync(ToolInvocation call, CancellationToken cancellationToken)
    {
        var runs = await store.ListRunsAsync(call.Run.ThreadId, new ListQuery { Limit = RecentRuns }, cancellationToken);
        foreach (var run in runs.Data)
        {
            var steps = await store.ListStepsAsync(run.ThreadId, run.Id, new ListQuery { Limit = 100 }, cancellationToken);
            if (steps.Data.Any(s => s.StepDetails.ToolCalls?.Any(c => c.Type == Type && c.Id != call.CallId) == true))
            {
                return true;
            }
        }

        return false;
    }

    public ToolCallView Describe(StepToolCall call)
    {
        var input = string.Empty;
        var output = new StringBuilder();
        if (call.Details is { ValueKind: JsonValueKind.Object } details)
        {
            input = details.TryGetProperty("input", out var i) ? i.GetString() ?? string.Empty : string.Empty;
            if (details.TryGetProperty("outputs", out var outputs) && outputs.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in outputs.EnumerateArray())
                {
                    if (item.TryGetProperty("logs", out var logs))
                    {
                        output.Append(logs.GetString());
                    }
                    else if (item.TryGetProperty("image", out var image) && image.TryGetProperty("file_id", out var fileId))
                    {
                        output.Append(output.Length == 0 || output[^1] == '\n' ? string.Empty : "\n").Append("[image ").Append(fileId.GetString()).Append(" shown to the user]\n");
                    }
                }
            }

            var files = ContainerCodeInterpreter.DescribeFiles(details);
            output.Append(files.Length > 0 && output.Length > 0 && output[^1] != '\n' ? "\n" : string.Empty).Append(files);
        }

        var arguments = new JsonObject { ["code"] = input }.ToJsonString();
        return new ToolCallView(Type, arguments, output.Length == 0 ? "(no output)" : output.ToString());
    }

    public Task<IReadOnlyList<MessageContent>> CompleteContentAsync(ThreadRun run, IReadOnlyList<RunStep> steps, IReadOnlyList<MessageContent> content,
        CancellationToken cancellationToken)
    {
        if (containers is not null && run.Tools.Where(t => t.Type == Type).Select(ContainerCodeInterpreter.ContainerOf).FirstOrDefault(id => id is not null) is { } containerId)
        {
            return containers.CompleteContentAsync(containerId, steps, content, cancellationToken);
        }

        var completed = new List<MessageContent>();
        foreach (var fileId in ImagesSinceLastMessage(steps))
        {
            completed.Add(new MessageContent { Type = "image_file", ImageFile = new ImageFile { FileId = fileId } });
        }

        foreach (var part in content)
        {
            completed.Add(part.Text is { } text
                ? part with { Text = text with { Annotations = [.. text.Annotations, .. SandboxLinks.Annotate(text.Value, path => sessions.OutputFileId(run.ThreadId, path))] } }
                : part);
        }

        return Task.FromResult<IReadOnlyList<MessageContent>>(completed);
    }

    /// <summary>Charts of the calls since the run's last message: the message being written now shows them.</summary>
    private static IEnumerable<string> ImagesSinceLastMessage(IReadOnlyList<RunStep> steps)
    {
        var start = 0;
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].Type == StepTypes.MessageCreation)
            {
                start = i + 1;
            }
        }

        foreach (var step in steps.Skip(start))
        {
            foreach (var call in step.StepDetails.ToolCalls ?? [])
            {
                if (call.Type != ToolTypes.CodeInterpreter || call.Details is not { ValueKind: JsonValueKind.Object } details
                    || !details.TryGetProperty("outputs", out var outputs) || outputs.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var output in outputs.EnumerateArray())
                {
                    if (output.TryGetProperty("image", out var image) && image.TryGetProperty("file_id", out var fileId) && fileId.GetString() is { } id)
                    {
                        yield return id;
                    }
                }
            }
        }
    }

    /// <summary>Copies the run's input files into the session once each; returns a line per file that could not be copied.</summary>
    private async Task<string> CopyInputsAsync(ThreadSandboxLease lease, ThreadRun run, CancellationToken cancellationToken)
    {
        var problems = new StringBuilder();
        foreach (var fileId in await InputFileIdsAsync(run, cancellationToken))
        {
            if (lease.Inputs.ContainsKey(fileId))
            {
                continue;
            }

            var stored = await files.GetAsync(fileId, cancellationToken);
            await using var content = stored is null ? null : await files.OpenReadAsync(fileId, cancellationToken);
            if (stored is null || content is null)
            {
                problems.Append("[AgentHost: file ").Append(fileId).Append(" was not found, so it is not in /mnt/data.]\n");
                continue;
            }

            var name = Path.GetFileName(stored.Filename);
            if (name.Length == 0 || lease.Inputs.Values.Contains(name))
            {
                name = $"{fileId}-{name}";
            }

            using var bytes = new MemoryStream();
            await content.CopyToAsync(bytes, cancellationToken);
            await lease.Session.PutFileAsync(name, bytes.GetBuffer().AsMemory(0, (int)bytes.Length), cancellationToken);
            lease.Inputs[fileId] = name;
        }

        return problems.ToString();
    }

    /// <summary>The assistant's and thread's code_interpreter files, then files attached to messages for code_interpreter.</summary>
    private async Task<IReadOnlyList<string>> InputFileIdsAsync(ThreadRun run, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        if (await store.GetAssistantAsync(run.AssistantId, cancellationToken) is { ToolResources.CodeInterpreter: { } assistantFiles })
        {
            ids.AddRange(assistantFiles.FileIds);
        }

        if (await store.GetThreadAsync(run.ThreadId, cancellationToken) is { ToolResources.CodeInterpreter: { } threadFiles })
        {
            ids.AddRange(threadFiles.FileIds);
        }

        ids.AddRange(await store.GetThreadAttachmentsAsync(run.ThreadId, ToolTypes.CodeInterpreter, cancellationToken));

        return [.. ids.Distinct(StringComparer.Ordinal)];
    }

    private async Task<StoredFile> SaveAsync(string filename, byte[] content, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content, writable: false);
        return await files.CreateAsync(filename, FilePurposes.AssistantsOutput, stream, cancellationToken);
    }

    private ToolCallProgress Progress(ToolInvocation call, int outputIndex) => new()
    {
        RunId = call.Run.Id, StepId = call.StepId, Index = call.Index, CallId = call.CallId, ToolType = Type, OutputIndex = outputIndex,
    };

    /// <summary>The Python code of a call's arguments (<c>{"code": …}</c>); arguments that are not JSON are taken as the code itself.</summary>
    public static string CodeOf(string arguments)
    {
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments);
            foreach (var name in new[] { "code", "input" })
            {
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var code) && code.ValueKind == JsonValueKind.String)
                {
                    return code.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
            // Some models send the code itself rather than JSON arguments; run it as given.
            return arguments;
        }

        return string.Empty;
    }
}

using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.FileSearch;
using AgentHost.Core.Tools;

namespace AgentHost.Server.Responses;

/// <summary>
/// A response's <c>output</c> items built from the engine's record of its run (steps in order; each message step's
/// message, each tool call): the one source for reads, the end of a stream and the items kept for later responses.
/// </summary>
internal static class ResponseOutput
{
    public static List<JsonObject> FromRecord(IReadOnlyList<RunStep> steps, IReadOnlyList<ThreadMessage> messages, ResponseView view, ToolSources sources,
        ReasoningSeal seal)
    {
        var byId = messages.ToDictionary(m => m.Id, StringComparer.Ordinal);
        var output = new List<JsonObject>();
        foreach (var step in steps)
        {
            if (step.Reasoning is { } reasoning)
            {
                output.Add(Reasoning(reasoning, view, seal));
            }

            if (step.StepDetails.MessageCreation is { } creation && byId.TryGetValue(creation.MessageId, out var message))
            {
                output.Add(Message(message));
            }

            foreach (var call in step.StepDetails.ToolCalls ?? [])
            {
                output.Add(ToolCall(call, step.Status, view, sources));
            }
        }

        return output;
    }

    /// <summary>
    /// A <c>reasoning</c> item: the model's reasoning text as one <c>summary_text</c> part when <c>reasoning.summary</c>
    /// asked for it (else an empty summary, as the original), and the sealed parts as <c>encrypted_content</c> when the
    /// view carries it.
    /// </summary>
    public static JsonObject Reasoning(StepReasoning reasoning, ResponseView view, ReasoningSeal seal)
    {
        // Keys in the recorded order: id, type, encrypted_content (when carried), summary.
        var item = new JsonObject { ["id"] = reasoning.Id, ["type"] = "reasoning" };
        if (view.EncryptedReasoning)
        {
            item["encrypted_content"] = seal.Seal(reasoning);
        }

        item["summary"] = Summary(reasoning, view);
        return item;
    }

    public static JsonArray Summary(StepReasoning reasoning, ResponseView view) =>
        view.ReasoningSummary && reasoning.Text is { Length: > 0 } text ? [SummaryText(text)] : [];

    public static JsonObject SummaryText(string text) => new() { ["type"] = "summary_text", ["text"] = text };

    public static JsonObject Message(ThreadMessage message) => new()
    {
        ["id"] = message.Id,
        ["type"] = "message",
        ["status"] = message.Status == MessageStatus.InProgress ? "in_progress" : message.Status,
        ["content"] = new JsonArray([.. Content(message)]),
        ["role"] = "assistant",
    };

    private static IEnumerable<JsonNode> Content(ThreadMessage message)
    {
        var texts = message.Content.Where(c => c.Text is not null).ToList();
        if (texts.Count == 0)
        {
            yield return ResponseInputReader.OutputText(string.Empty);
            yield break;
        }

        foreach (var part in texts)
        {
            var (value, annotations) = ResponseAnnotations.From(part.Text!.Value, part.Text.Annotations);
            var text = ResponseInputReader.OutputText(value);
            text["annotations"] = annotations;
            yield return text;
        }
    }

    public static JsonObject ToolCall(StepToolCall call, string stepStatus, ResponseView view, ToolSources sources)
    {
        if (Tools.Mcp.McpResponseItems.FromStep(call) is { } mcp)
        {
            return mcp;
        }

        var status = stepStatus is StepStatus.Completed ? "completed" : stepStatus is StepStatus.InProgress ? "in_progress" : "incomplete";
        if (call.Function is { } function)
        {
            return view.CustomTools.Contains(function.Name)
                ? CustomCall(call.Id, function.Name, function.Arguments, "completed")
                : FunctionCall(call.Id, function.Name, function.Arguments, "completed");
        }

        if (call.Type == ToolTypes.FileSearch)
        {
            var payload = call.Details is { } json ? JsonNode.Parse(json.GetRawText())!.AsObject() : [];
            return FileSearch(call.Id, status, FileSearchCall.Queries(payload), FileSearchCall.Results(payload), view.IncludeFileSearchResults);
        }

        if (call.Type == ToolTypes.CodeInterpreter)
        {
            return ResponseCodeInterpreter.Call(call, status, view);
        }

        // A call of another tool source: its own record, under its type, as an item named after it.
        var item = new JsonObject { ["id"] = ResponseIds.OfCall(call.Type, call.Id), ["type"] = $"{call.Type}_call", ["status"] = status };
        if (sources.For(call.Type) is { } source)
        {
            var described = EngineToolRecords.Describe(source, call);
            item["name"] = described.Name;
            item["arguments"] = described.Arguments;
            item["output"] = described.Output;
        }

        return item;
    }

    public static JsonObject FunctionCall(string callId, string name, string arguments, string status) => new()
    {
        ["id"] = ResponseIds.OfCall("fc", callId),
        ["type"] = "function_call",
        ["status"] = status,
        ["arguments"] = arguments,
        ["call_id"] = callId,
        ["name"] = name,
    };

    /// <summary>A custom tool's call: the model was offered it as a function with one string <c>input</c>.</summary>
    public static JsonObject CustomCall(string callId, string name, string arguments, string status) => new()
    {
        ["id"] = ResponseIds.OfCall("ctc", callId),
        ["type"] = "custom_tool_call",
        ["status"] = status,
        ["call_id"] = callId,
        ["input"] = CustomInput(arguments),
        ["name"] = name,
    };

    public static string CustomInput(string arguments)
    {
        try
        {
            return JsonNode.Parse(arguments)?["input"]?.GetValue<string>() ?? arguments;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return arguments;
        }
    }

    public static JsonObject FileSearch(string callId, string status, IReadOnlyList<string> queries, IReadOnlyList<FileSearchResult>? results, bool includeResults) => new()
    {
        ["id"] = ResponseIds.OfCall("fs", callId),
        ["type"] = "file_search_call",
        ["status"] = status,
        ["queries"] = new JsonArray([.. queries.Select(q => (JsonNode)JsonValue.Create(q))]),
        ["results"] = includeResults && results is not null
            ? new JsonArray([.. results.Select(r => (JsonNode)new JsonObject
            {
                ["attributes"] = r.Attributes.DeepClone(),
                ["file_id"] = r.FileId,
                ["filename"] = r.FileName,
                ["score"] = r.Score,
                ["text"] = r.Text,
            })])
            : null,
    };
}

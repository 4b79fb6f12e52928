using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Containers;
using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.Tools.CodeInterpreter;
using AgentHost.Server.Http;

namespace AgentHost.Server.Responses;

/// <summary>
/// The <c>code_interpreter</c> tool in the Responses shapes: its definition (<c>container</c> as an id or
/// <c>{"type": "auto", "file_ids", "memory_limit"}</c>) and its <c>code_interpreter_call</c> output item.
/// </summary>
internal static class ResponseCodeInterpreter
{
    /// <summary>The setting keeping the <c>container</c> as the request gave it.</summary>
    public const string ContainerSetting = "container";

    /// <summary>The key of a response's settings that holds the container its tool resolved to (not part of the response object).</summary>
    public const string ResolvedContainerKey = "agenthost_container_id";

    /// <summary>The key of a response's settings that holds the API's base URL, for the URLs of image outputs (not part of the response object).</summary>
    public const string ApiBaseKey = "agenthost_api_base";

    public static (ToolDefinition Definition, JsonNode Echo) Read(JsonRequest tool)
    {
        tool.Allow("type", ContainerSetting);
        var container = tool.Get(ContainerSetting)
            ?? throw ApiException.Invalid($"Missing required parameter: '{tool.Name(ContainerSetting)}'.", tool.Name(ContainerSetting), "missing_required_parameter");
        switch (container.ValueKind)
        {
            case JsonValueKind.String when container.GetString() is { Length: > 0 }:
                break;
            case JsonValueKind.String:
                throw tool.InvalidValue(ContainerSetting, "expected a container id, but got an empty string.");
            case JsonValueKind.Object:
                var auto = tool.Object(ContainerSetting)!.Allow("type", "file_ids", "memory_limit");
                var type = auto.RequiredString("type");
                if (type != "auto")
                {
                    throw auto.InvalidValue("type", $"'{type}' is not one of ['auto'].");
                }

                auto.Strings("file_ids", 50);
                if (auto.String("memory_limit") is { } limit && !ContainerMemoryLimits.All.Contains(limit))
                {
                    throw auto.InvalidValue("memory_limit", $"'{limit}' is not one of ['1g', '4g', '16g', '64g'].");
                }

                break;
            default:
                throw tool.WrongType(ContainerSetting, "a string or an object", container);
        }

        var definition = new ToolDefinition
        {
            Type = ToolTypes.CodeInterpreter,
            Settings = new Dictionary<string, JsonElement>(StringComparer.Ordinal) { [ContainerSetting] = container.Clone() },
        };
        return (definition, JsonNode.Parse(tool.Root.GetRawText())!);
    }

    /// <summary>The container a definition asks for.</summary>
    public static ContainerReference Reference(ToolDefinition definition)
    {
        var container = definition.Setting(ContainerSetting) ?? throw new InvalidOperationException("The code_interpreter definition has no container.");
        if (container.ValueKind == JsonValueKind.String)
        {
            return ContainerReference.Existing(container.GetString()!);
        }

        var fileIds = container.TryGetProperty("file_ids", out var ids) && ids.ValueKind == JsonValueKind.Array
            ? ids.EnumerateArray().Select(i => i.GetString()!).ToList()
            : [];
        var memory = container.TryGetProperty("memory_limit", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        return ContainerReference.Auto(fileIds, memory);
    }

    /// <summary>The <c>code_interpreter_call</c> item of a recorded call (<c>outputs</c> only when included).</summary>
    public static JsonObject Call(StepToolCall call, string status, ResponseView view)
    {
        var details = call.Details is { ValueKind: JsonValueKind.Object } d ? d : default;
        var containerId = details.ValueKind == JsonValueKind.Object && details.TryGetProperty(ContainerCodeInterpreter.ContainerIdSetting, out var c) ? c.GetString() : view.ContainerId;
        var item = Item(call.Id, status, details.ValueKind == JsonValueKind.Object && details.TryGetProperty("input", out var code) ? code.GetString() : null, containerId);
        if (view.IncludeCodeInterpreterOutputs && details.ValueKind == JsonValueKind.Object && details.TryGetProperty("outputs", out var outputs) && outputs.ValueKind == JsonValueKind.Array)
        {
            item["outputs"] = new JsonArray([.. outputs.EnumerateArray().Select(o => Output(o, containerId, view.ApiBase))]);
        }

        return item;
    }

    public static JsonObject Item(string callId, string status, string? code, string? containerId) => new()
    {
        ["id"] = ItemId(callId),
        ["type"] = "code_interpreter_call",
        ["status"] = status,
        ["code"] = code,
        ["container_id"] = containerId,
        ["outputs"] = null,
    };

    public static string ItemId(string callId) => ResponseIds.OfCall("ci", callId);

    /// <summary>A logs output as it is; an image as the URL of its container file's content.</summary>
    private static JsonNode Output(JsonElement output, string? containerId, string? apiBase)
    {
        if (output.TryGetProperty("logs", out var logs))
        {
            return new JsonObject { ["type"] = "logs", ["logs"] = logs.GetString() };
        }

        var fileId = output.TryGetProperty("file_id", out var f) ? f.GetString() : null;
        return new JsonObject { ["type"] = "image", ["url"] = $"{apiBase ?? "http://localhost"}/v1/containers/{containerId}/files/{fileId}/content" };
    }
}

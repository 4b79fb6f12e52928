using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Server.Http;

namespace AgentHost.Server.Responses;

/// <summary>
/// Reads <c>input</c> (a string, or a list of items) and conversation items into the Responses wire shape with ids, as
/// <c>input_items</c> lists them: messages (text, image and file parts), function and custom tool calls and their
/// outputs, and the output items of earlier responses passed back.
/// </summary>
internal static class ResponseInputReader
{
    private static readonly string[] PassedBackTypes = ["reasoning", "compaction", "file_search_call", "code_interpreter_call", "mcp_call", "mcp_list_tools"];

    public static List<JsonObject> Read(JsonRequest request, string field)
    {
        if (request.Get(field) is not { } input)
        {
            return [];
        }

        if (input.ValueKind == JsonValueKind.String)
        {
            return [Message(ResponseIds.Message(), "user", [InputText(input.GetString()!)])];
        }

        if (input.ValueKind != JsonValueKind.Array)
        {
            throw request.WrongType(field, "a string or an array", input);
        }

        var items = new List<JsonObject>();
        var index = 0;
        foreach (var element in input.EnumerateArray())
        {
            items.Add(Item(request.Item(element, field, index++)));
        }

        return items;
    }

    public static JsonObject Item(JsonRequest item)
    {
        var type = item.String("type") ?? (item.Has("role") ? "message" : throw ApiException.Invalid($"Missing required parameter: '{item.Name("type")}'.", item.Name("type"), "missing_required_parameter"));
        switch (type)
        {
            case "message":
                item.Allow("type", "role", "content", "id", "status");
                var role = item.RequiredString("role");
                if (role is not ("user" or "assistant" or "system" or "developer"))
                {
                    throw item.InvalidValue("role", $"'{role}' is not one of ['user', 'assistant', 'system', 'developer'].");
                }

                return Message(item.String("id") ?? ResponseIds.Message(), role, Content(item, role));
            case "function_call":
                item.Allow("type", "id", "call_id", "name", "arguments", "status");
                return new JsonObject
                {
                    ["id"] = item.String("id") ?? ResponseIds.FunctionCall(),
                    ["type"] = type,
                    ["status"] = "completed",
                    ["arguments"] = item.RequiredString("arguments"),
                    ["call_id"] = item.RequiredString("call_id"),
                    ["name"] = item.RequiredString("name"),
                };
            case "function_call_output":
            case "custom_tool_call_output":
                item.Allow("type", "id", "call_id", "output", "status");
                return new JsonObject
                {
                    ["id"] = item.String("id") ?? (type == "function_call_output" ? ResponseIds.FunctionCall() : ResponseIds.CustomToolCall()),
                    ["type"] = type,
                    ["status"] = "completed",
                    ["call_id"] = item.RequiredString("call_id"),
                    ["output"] = Output(item),
                };
            case "custom_tool_call":
                item.Allow("type", "id", "call_id", "name", "input", "status");
                return new JsonObject
                {
                    ["id"] = item.String("id") ?? ResponseIds.CustomToolCall(),
                    ["type"] = type,
                    ["status"] = "completed",
                    ["call_id"] = item.RequiredString("call_id"),
                    ["input"] = item.RequiredString("input"),
                    ["name"] = item.RequiredString("name"),
                };
            case "mcp_approval_request":
                // Acted on when answered, so read field by field.
                item.Allow("type", "id", "server_label", "name", "arguments");
                return new JsonObject
                {
                    ["id"] = item.RequiredString("id"),
                    ["type"] = type,
                    ["arguments"] = item.RequiredString("arguments"),
                    ["name"] = item.RequiredString("name"),
                    ["server_label"] = item.RequiredString("server_label"),
                };
            case "mcp_approval_response":
                item.Allow("type", "id", "approval_request_id", "approve", "reason");
                return new JsonObject
                {
                    ["id"] = item.String("id") ?? ResponseIds.New("mcpa"),
                    ["type"] = type,
                    ["approval_request_id"] = item.RequiredString("approval_request_id"),
                    ["approve"] = item.Boolean("approve") ?? throw ApiException.Invalid($"Missing required parameter: '{item.Name("approve")}'.", item.Name("approve"), "missing_required_parameter"),
                    ["reason"] = item.String("reason"),
                };
            case "item_reference":
                item.Allow("type", "id");
                return new JsonObject { ["type"] = type, ["id"] = item.RequiredString("id") };
            default:
                if (Array.IndexOf(PassedBackTypes, type) >= 0)
                {
                    var copy = JsonNode.Parse(item.Root.GetRawText())!.AsObject();
                    copy["id"] ??= ResponseIds.New("item");
                    return copy;
                }

                throw item.InvalidValue("type", $"'{type}' is not a supported input item type.");
        }
    }

    private static JsonNode Output(JsonRequest item)
    {
        var output = item.Get("output") ?? throw ApiException.Invalid($"Missing required parameter: '{item.Name("output")}'.", item.Name("output"), "missing_required_parameter");
        return output.ValueKind switch
        {
            JsonValueKind.String => JsonValue.Create(output.GetString()!),
            JsonValueKind.Array => new JsonArray([.. output.EnumerateArray().Select((part, i) => (JsonNode)Part(item, "output", i, part, "user"))]),
            _ => throw item.WrongType("output", "a string or an array", output),
        };
    }

    private static JsonArray Content(JsonRequest message, string role)
    {
        var content = message.Get("content") ?? throw ApiException.Invalid($"Missing required parameter: '{message.Name("content")}'.", message.Name("content"), "missing_required_parameter");
        if (content.ValueKind == JsonValueKind.String)
        {
            return [role == "assistant" ? OutputText(content.GetString()!) : InputText(content.GetString()!)];
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw message.WrongType("content", "a string or an array", content);
        }

        return new JsonArray([.. content.EnumerateArray().Select((part, i) => (JsonNode)Part(message, "content", i, part, role))]);
    }

    private static JsonObject Part(JsonRequest owner, string field, int index, JsonElement element, string role)
    {
        var part = owner.Item(element, field, index);
        var type = part.RequiredString("type");
        switch (type)
        {
            case "input_text":
                part.Allow("type", "text");
                return InputText(part.RequiredString("text"));
            case "output_text":
                part.Allow("type", "text", "annotations", "logprobs");
                var text = OutputText(part.RequiredString("text"));
                if (part.Get("annotations") is { ValueKind: JsonValueKind.Array } annotations)
                {
                    text["annotations"] = JsonNode.Parse(annotations.GetRawText());
                }

                return text;
            case "refusal":
                part.Allow("type", "refusal");
                return new JsonObject { ["type"] = type, ["refusal"] = part.RequiredString("refusal") };
            case "input_image":
                part.Allow("type", "image_url", "file_id", "detail");
                var url = part.String("image_url");
                var fileId = part.String("file_id");
                if (url is null && fileId is null)
                {
                    throw ApiException.Invalid($"Invalid '{part.Path}': an input_image needs 'image_url' or 'file_id'.", part.Path, "missing_required_parameter");
                }

                return new JsonObject { ["type"] = type, ["detail"] = part.String("detail") ?? "auto", ["file_id"] = fileId, ["image_url"] = url };
            case "input_file":
                part.Allow("type", "file_id", "file_data", "filename", "file_url");
                if (part.String("file_id") is null && part.String("file_data") is null && part.String("file_url") is null)
                {
                    throw ApiException.Invalid($"Invalid '{part.Path}': an input_file needs 'file_id', 'file_data' or 'file_url'.", part.Path, "missing_required_parameter");
                }

                var file = new JsonObject { ["type"] = type };
                foreach (var name in new[] { "file_id", "file_data", "filename", "file_url" })
                {
                    if (part.String(name) is { } value)
                    {
                        file[name] = value;
                    }
                }

                return file;
            default:
                throw part.InvalidValue("type", $"'{type}' is not one of ['input_text', 'input_image', 'input_file'{(role == "assistant" ? ", 'output_text', 'refusal'" : string.Empty)}].");
        }
    }

    public static JsonObject Message(string id, string role, JsonArray content) => new()
    {
        ["id"] = id,
        ["type"] = "message",
        ["status"] = "completed",
        ["content"] = content,
        ["role"] = role,
    };

    public static JsonObject InputText(string text) => new() { ["type"] = "input_text", ["text"] = text };

    public static JsonObject OutputText(string text) => new() { ["type"] = "output_text", ["annotations"] = new JsonArray(), ["logprobs"] = new JsonArray(), ["text"] = text };
}

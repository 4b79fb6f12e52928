using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Errors;
using AgentHost.Core.Tools;
using AgentHost.Server.VectorStores;

namespace AgentHost.Server.Http;

/// <summary>Readers for the fields the Assistants API shares between operations, with the spec's limits.</summary>
internal static class JsonRequestFields
{
    public static IReadOnlyDictionary<string, string>? Metadata(this JsonRequest request, string field = "metadata")
    {
        if (request.Object(field) is not { } metadata)
        {
            return null;
        }

        var pairs = new Dictionary<string, string>();
        foreach (var property in metadata.Root.EnumerateObject())
        {
            if (pairs.Count == 16)
            {
                throw ApiException.Invalid($"Invalid '{request.Name(field)}': too many properties. Expected an object with at most 16 properties.", request.Name(field), "object_above_max_properties");
            }

            if (property.Name.Length > 64)
            {
                throw ApiException.Invalid($"Invalid '{request.Name(field)}': metadata keys can be at most 64 characters long; '{property.Name[..16]}…' has {property.Name.Length}.", request.Name(field), "invalid_value");
            }

            pairs[property.Name] = metadata.String(property.Name, 512)
                ?? throw metadata.WrongType(property.Name, "a string", property.Value);
        }

        return pairs;
    }

    /// <summary>
    /// <c>tools</c>: the Assistants types, and any type a registered tool source serves (<paramref name="sources"/>;
    /// without it, as for message attachments, only the Assistants types), checked by that source.
    /// </summary>
    public static IReadOnlyList<ToolDefinition>? Tools(this JsonRequest request, ToolSources? sources = null, string field = "tools")
    {
        if (request.Array(field, 128) is not { } items)
        {
            return null;
        }

        var tools = new List<ToolDefinition>();
        var index = 0;
        foreach (var element in items)
        {
            tools.Add(Tool(request.Item(element, field, index++), sources));
        }

        var duplicate = tools.Where(t => t.Function is not null).GroupBy(t => t.Function!.Name).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? tools : throw ApiException.Invalid($"Duplicate function name '{duplicate.Key}' in '{request.Name(field)}'.", request.Name(field));
    }

    private static ToolDefinition Tool(JsonRequest tool, ToolSources? sources)
    {
        var type = tool.RequiredString("type");
        switch (type)
        {
            case ToolTypes.CodeInterpreter:
                tool.Allow("type");
                return ToolDefinition.CodeInterpreter;
            case ToolTypes.FileSearch:
                tool.Allow("type", "file_search");
                return new ToolDefinition { Type = type, FileSearch = VectorStores.FileSearchToolSettings.Read(tool.Object("file_search")) };
            case ToolTypes.Function:
                tool.Allow("type", "function");
                var function = (tool.Object("function") ?? throw ApiException.Invalid($"Missing required parameter: '{tool.Name("function")}'.", tool.Name("function"), "missing_required_parameter"))
                    .Allow("name", "description", "parameters", "strict");
                var name = function.RequiredName("name");

                return new ToolDefinition
                {
                    Type = type,
                    Function = new FunctionDefinition
                    {
                        Name = name,
                        Description = function.String("description"),
                        Parameters = ObjectSchema(function, "parameters") ?? FunctionDefinition.EmptyObjectSchema,
                        Strict = function.Boolean("strict") ?? false,
                    },
                };
            default:
                if (sources?.For(type) is { } source)
                {
                    var settings = tool.Root.EnumerateObject().Where(p => p.Name != "type").ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
                    return source.Validate(new ToolDefinition { Type = type, Settings = settings.Count == 0 ? null : settings }, tool.Path);
                }

                var known = new[] { ToolTypes.CodeInterpreter, ToolTypes.FileSearch, ToolTypes.Function }.Concat(sources?.Types ?? []).Distinct().Order(StringComparer.Ordinal);
                throw tool.InvalidValue("type", $"'{type}' is not one of [{string.Join(", ", known.Select(k => $"'{k}'"))}].");
        }
    }

    /// <summary>
    /// <c>tool_resources</c>. <c>file_search</c> takes either <c>vector_store_ids</c> or the helper <c>vector_stores</c>
    /// (at most one store to create, with <c>file_ids</c>, <c>chunking_strategy</c>, <c>metadata</c>); never both.
    /// </summary>
    public static RequestedToolResources? ToolResources(this JsonRequest request, string field = "tool_resources")
    {
        if (request.Object(field)?.Allow("code_interpreter", "file_search") is not { } resources)
        {
            return null;
        }

        var code = resources.Object("code_interpreter")?.Allow("file_ids");
        var search = resources.Object("file_search")?.Allow("vector_store_ids", "vector_stores");
        if (search is not null && search.HasNonNull("vector_store_ids") && search.HasNonNull("vector_stores"))
        {
            throw ApiException.Invalid(
                $"Invalid '{search.Name("vector_stores")}': provide either 'vector_store_ids' or 'vector_stores', not both.", search.Name("vector_stores"), "invalid_value");
        }

        var newStore = search?.Array("vector_stores", 1)?.Select((element, index) => NewToolVectorStore(search.Item(element, "vector_stores", index))).FirstOrDefault();
        return new RequestedToolResources(
            new ToolResources
            {
                CodeInterpreter = code is null ? null : new CodeInterpreterResources { FileIds = code.Strings("file_ids", 20) },
                FileSearch = search is null ? null : new FileSearchResources { VectorStoreIds = search.Strings("vector_store_ids", 1) },
            },
            newStore);
    }

    private static NewToolVectorStore NewToolVectorStore(JsonRequest store)
    {
        store.Allow("file_ids", "chunking_strategy", "metadata");
        return new NewToolVectorStore(
            [.. store.FileIds("file_ids", 10_000).Distinct(StringComparer.Ordinal)],
            store.Chunking(),
            store.Metadata() ?? new Dictionary<string, string>());
    }

    public static IReadOnlyList<string> Strings(this JsonRequest request, string field, int maxItems)
    {
        var values = new List<string>();
        var index = 0;
        foreach (var element in request.Array(field, maxItems) ?? [])
        {
            values.Add(element.ValueKind == JsonValueKind.String
                ? element.GetString()!
                : throw ApiException.Invalid($"Invalid type for '{request.Name(field)}[{index}]': expected a string.", $"{request.Name(field)}[{index}]", "invalid_type"));
            index++;
        }

        return values;
    }

    public static ResponseFormat? ResponseFormat(this JsonRequest request) =>
        Converted(request, "response_format", static e => JsonSerializer.Deserialize(e, Core.Json.CoreJsonContext.Default.ResponseFormat)!, format =>
            format.Type is "auto" or "text" or "json_object" or "json_schema" && (format.Type != "json_schema" || format.JsonSchema is { ValueKind: JsonValueKind.Object })
                ? null
                : "expected 'auto', {\"type\": \"text\"}, {\"type\": \"json_object\"} or {\"type\": \"json_schema\", \"json_schema\": {...}}.");

    public static ToolChoice? ToolChoice(this JsonRequest request) =>
        Converted(request, "tool_choice", static e => JsonSerializer.Deserialize(e, Core.Json.CoreJsonContext.Default.ToolChoice)!, static _ => null);

    public static TruncationStrategy? Truncation(this JsonRequest request)
    {
        if (request.Object("truncation_strategy")?.Allow("type", "last_messages") is not { } strategy)
        {
            return null;
        }

        var type = strategy.RequiredString("type");
        if (type is not ("auto" or "last_messages"))
        {
            throw strategy.InvalidValue("type", $"'{type}' is not one of ['auto', 'last_messages'].");
        }

        var last = strategy.Integer("last_messages", 1);
        return type == "last_messages" && last is null
            ? throw ApiException.Invalid("Missing required parameter: 'truncation_strategy.last_messages'.", "truncation_strategy.last_messages", "missing_required_parameter")
            : new TruncationStrategy { Type = type, LastMessages = last };
    }

    public static string? ReasoningEffort(this JsonRequest request)
    {
        var effort = request.String("reasoning_effort");
        return effort is null or "none" or "minimal" or "low" or "medium" or "high" or "xhigh"
            ? effort
            : throw request.InvalidValue("reasoning_effort", $"'{effort}' is not one of ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'].");
    }

    public static IReadOnlyList<NewMessage> Messages(this JsonRequest request, string field)
    {
        var messages = new List<NewMessage>();
        var index = 0;
        foreach (var element in request.Array(field) ?? [])
        {
            messages.Add(request.Item(element, field, index++).NewMessage());
        }

        return messages;
    }

    public static NewMessage NewMessage(this JsonRequest message)
    {
        message.Allow("role", "content", "attachments", "metadata");
        var role = message.RequiredString("role");
        if (role is not (MessageRoles.User or MessageRoles.Assistant))
        {
            throw message.InvalidValue("role", $"'{role}' is not one of ['user', 'assistant'].");
        }

        return new NewMessage(role, MessageContents(message), Attachments(message), message.Metadata());
    }

    private static IReadOnlyList<MessageContent> MessageContents(JsonRequest message)
    {
        var content = message.Get("content") ?? throw ApiException.Invalid($"Missing required parameter: '{message.Name("content")}'.", message.Name("content"), "missing_required_parameter");
        if (content.ValueKind == JsonValueKind.String)
        {
            return [MessageContent.FromText(content.GetString()!)];
        }

        var parts = new List<MessageContent>();
        var index = 0;
        foreach (var element in message.Array("content") ?? throw message.WrongType("content", "a string or an array", content))
        {
            var part = message.Item(element, "content", index++);
            var type = part.RequiredString("type");
            parts.Add(type switch
            {
                "text" => MessageContent.FromText(part.Allow("type", "text").RequiredString("text")),
                "image_url" => ImageUrlPart(part.Allow("type", "image_url")),
                "image_file" => ImageFilePart(part.Allow("type", "image_file")),
                _ => throw part.InvalidValue("type", $"'{type}' is not one of ['text', 'image_url', 'image_file']."),
            });
        }

        return parts.Count > 0 ? parts : throw message.InvalidValue("content", "a message needs at least one content part.");
    }

    private static MessageContent ImageUrlPart(JsonRequest part)
    {
        var image = (part.Object("image_url") ?? throw ApiException.Invalid($"Missing required parameter: '{part.Name("image_url")}'.", part.Name("image_url"), "missing_required_parameter"))
            .Allow("url", "detail");
        return new MessageContent { Type = "image_url", ImageUrl = new ImageUrl { Url = image.RequiredString("url"), Detail = Detail(image) ?? "auto" } };
    }

    private static MessageContent ImageFilePart(JsonRequest part)
    {
        var image = (part.Object("image_file") ?? throw ApiException.Invalid($"Missing required parameter: '{part.Name("image_file")}'.", part.Name("image_file"), "missing_required_parameter"))
            .Allow("file_id", "detail");
        return new MessageContent { Type = "image_file", ImageFile = new ImageFile { FileId = image.RequiredString("file_id"), Detail = Detail(image) ?? "auto" } };
    }

    private static string? Detail(JsonRequest image)
    {
        var detail = image.String("detail");
        return detail is null or "auto" or "low" or "high" ? detail : throw image.InvalidValue("detail", $"'{detail}' is not one of ['auto', 'low', 'high'].");
    }

    private static IReadOnlyList<MessageAttachment> Attachments(JsonRequest message)
    {
        var attachments = new List<MessageAttachment>();
        var index = 0;
        foreach (var element in message.Array("attachments") ?? [])
        {
            var attachment = message.Item(element, "attachments", index++).Allow("file_id", "tools");
            attachments.Add(new MessageAttachment
            {
                FileId = attachment.RequiredString("file_id"),
                Tools = attachment.Tools() ?? [],
            });
        }

        return attachments;
    }

    private static T? Converted<T>(JsonRequest request, string field, Func<JsonElement, T> convert, Func<T, string?> check)
        where T : class
    {
        if (request.Get(field) is not { } value)
        {
            return null;
        }

        T result;
        try
        {
            result = convert(value);
        }
        catch (JsonException exception)
        {
            throw request.InvalidValue(field, exception.Message);
        }

        return check(result) is { } problem ? throw request.InvalidValue(field, problem) : result;
    }

    /// <summary>A function's parameters: a JSON Schema object whose <c>type</c>, when given, is <c>"object"</c> (as the original requires).</summary>
    private static JsonElement? ObjectSchema(JsonRequest function, string field)
    {
        if (function.Object(field)?.Root is not { } schema)
        {
            return null;
        }

        return !schema.TryGetProperty("type", out var type) || (type.ValueKind == JsonValueKind.String && type.GetString() == "object")
            ? schema.Clone()
            : throw function.InvalidValue(field, $"schema must be a JSON Schema of 'type: \"object\"', got 'type: {type.GetRawText()}'.");
    }
}

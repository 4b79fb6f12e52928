using System.Text;
using System.Text.Json;
using AgentHost.Core.Errors;
using AgentHost.Server.Compat;
using AgentHost.Server.Http;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.ChatCompletions;

/// <summary>One Chat Completions message (system, developer, user, assistant or tool) as an M.E.AI message.</summary>
internal static class ChatCompletionMessageReader
{
    public static ChatMessage Read(JsonRequest message)
    {
        var role = message.RequiredString("role");
        switch (role)
        {
            case "system" or "developer":
                message.Allow("role", "content", "name");
                return new ChatMessage(ChatRole.System, Text(message, required: true));
            case "user":
                message.Allow("role", "content", "name");
                return new ChatMessage(ChatRole.User, UserContents(message)) { AuthorName = message.String("name") };
            case "assistant":
                message.Allow("role", "content", "name", "tool_calls", "refusal", "audio", "function_call");
                return Assistant(message);
            case "tool":
                message.Allow("role", "content", "tool_call_id");
                return new ChatMessage(ChatRole.Tool, [new FunctionResultContent(message.RequiredString("tool_call_id"), Text(message, required: true))]);
            default:
                throw message.InvalidValue("role", $"'{role}' is not one of ['system', 'developer', 'user', 'assistant', 'tool'].");
        }
    }

    private static ChatMessage Assistant(JsonRequest message)
    {
        var contents = new List<AIContent>();
        if (Text(message, required: false) is { Length: > 0 } text)
        {
            contents.Add(new TextContent(text));
        }

        var index = 0;
        foreach (var element in message.Array("tool_calls") ?? [])
        {
            var call = message.Item(element, "tool_calls", index++).Allow("id", "type", "function");
            var function = (call.Object("function") ?? throw ApiException.Invalid($"Missing required parameter: '{call.Name("function")}'.", call.Name("function"), "missing_required_parameter"))
                .Allow("name", "arguments");
            contents.Add(new FunctionCallContent(call.RequiredString("id"), function.RequiredString("name"), ToolArguments.FromString(function.String("arguments"))));
        }

        if (contents.Count == 0 && !message.HasNonNull("refusal"))
        {
            throw ApiException.Invalid($"Invalid value for '{message.Name("content")}': an assistant message needs content or tool_calls.", message.Name("content"), "invalid_value");
        }

        return new ChatMessage(ChatRole.Assistant, contents) { AuthorName = message.String("name") };
    }

    /// <summary>A string, or text parts joined (the form system, assistant and tool messages take).</summary>
    private static string? Text(JsonRequest message, bool required)
    {
        switch (message.Get("content"))
        {
            case null when required:
                throw ApiException.Invalid($"Missing required parameter: '{message.Name("content")}'.", message.Name("content"), "missing_required_parameter");
            case null:
                return null;
            case { ValueKind: JsonValueKind.String } text:
                return text.GetString();
            case { ValueKind: JsonValueKind.Array } parts:
                var builder = new StringBuilder();
                var index = 0;
                foreach (var element in parts.EnumerateArray())
                {
                    var part = message.Item(element, "content", index++);
                    var type = part.RequiredString("type");
                    if (type is not ("text" or "refusal"))
                    {
                        throw part.InvalidValue("type", $"'{type}' parts are only allowed in user messages.");
                    }

                    builder.Append(type == "text" ? part.Allow("type", "text").RequiredString("text") : "");
                }

                return builder.ToString();
            case var other:
                throw message.WrongType("content", "a string or an array", other.GetValueOrDefault());
        }
    }

    private static List<AIContent> UserContents(JsonRequest message)
    {
        var content = message.Get("content") ?? throw ApiException.Invalid($"Missing required parameter: '{message.Name("content")}'.", message.Name("content"), "missing_required_parameter");
        if (content.ValueKind == JsonValueKind.String)
        {
            return [new TextContent(content.GetString())];
        }

        var contents = new List<AIContent>();
        var index = 0;
        foreach (var element in message.Array("content") ?? throw message.WrongType("content", "a string or an array", content))
        {
            var part = message.Item(element, "content", index++);
            var type = part.RequiredString("type");
            contents.Add(type switch
            {
                "text" => new TextContent(part.Allow("type", "text").RequiredString("text")),
                "image_url" => Image(part.Allow("type", "image_url")),
                _ => throw part.InvalidValue("type", $"'{type}' is not one of ['text', 'image_url']."),
            });
        }

        return contents;
    }

    private static AIContent Image(JsonRequest part)
    {
        var image = (part.Object("image_url") ?? throw ApiException.Invalid($"Missing required parameter: '{part.Name("image_url")}'.", part.Name("image_url"), "missing_required_parameter"))
            .Allow("url", "detail");
        var url = image.RequiredString("url");
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return new DataContent(url);
            }
            catch (FormatException)
            {
                throw image.InvalidValue("url", "not a valid base64 data URL.");
            }
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? new UriContent(uri, "image/*")
            : throw image.InvalidValue("url", "expected an http(s) URL or a data URL.");
    }
}

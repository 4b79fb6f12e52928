using System.Text;
using System.Text.Json;
using AgentHost.Server.Compat;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;
using static AgentHost.Server.AnthropicApi.AnthropicField;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// Content blocks to M.E.AI contents. Each content keeps the client's own block as its raw representation, which the
/// Anthropic adapter sends unchanged (cache_control, citations, document titles survive); other providers get the
/// portable translation.
/// </summary>
internal static class AnthropicContentReader
{
    public static List<AIContent> System(JsonElement system)
    {
        if (system.ValueKind == JsonValueKind.String)
        {
            return [new TextContent(system.GetString())];
        }

        if (system.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("system", "Input should be a valid string or a list of text blocks");
        }

        var contents = new List<AIContent>();
        foreach (var block in system.EnumerateArray())
        {
            var path = $"system.{contents.Count}";
            if (block.ValueKind != JsonValueKind.Object || String(block, "type", path) != "text")
            {
                throw Invalid(Path(path, "type"), "system blocks must be text blocks");
            }

            Allow(block, path, "type", "text", "cache_control", "citations");
            contents.Add(new TextContent(RequiredString(block, "text", path))
            {
                RawRepresentation = JsonSerializer.Deserialize<TextBlockParam>(block),
            });
        }

        return contents;
    }

    /// <summary>Adds the message; a user turn's tool results become a tool message ahead of the rest, as M.E.AI expects.</summary>
    public static void Message(JsonElement message, string path, List<ChatMessage> messages)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "Input should be a valid dictionary");
        }

        Allow(message, path, "role", "content");
        var role = RequiredString(message, "role", path) switch
        {
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,

            // Newer SDKs can place system turns among the messages.
            "system" => ChatRole.System,
            var other => throw Invalid(Path(path, "role"), $"Input should be 'user', 'assistant' or 'system', not '{other}'"),
        };
        var content = Required(message, "content", path);
        if (content.ValueKind == JsonValueKind.String)
        {
            messages.Add(new ChatMessage(role, content.GetString()));
            return;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(Path(path, "content"), "Input should be a valid string or list");
        }

        var results = new List<AIContent>();
        var contents = new List<AIContent>();
        var endsWithMcpResult = false;
        var index = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}.content.{index++}";
            if (role == ChatRole.Assistant && McpBlock(block, blockPath) is { } mcp)
            {
                // An MCP call AgentHost ran in an earlier turn: its result goes to the model as a tool message after
                // the assistant's text and calls so far, and the assistant's turn goes on after it.
                endsWithMcpResult = mcp is FunctionResultContent;
                if (endsWithMcpResult && contents.Count == 0 && messages.Count > 0 && messages[^1].Role == ChatRole.Tool)
                {
                    messages[^1].Contents.Add(mcp);
                }
                else if (endsWithMcpResult)
                {
                    messages.Add(new ChatMessage(ChatRole.Assistant, contents));
                    messages.Add(new ChatMessage(ChatRole.Tool, [mcp]));
                    contents = [];
                }
                else
                {
                    contents.Add(mcp);
                }

                continue;
            }

            var item = Block(block, blockPath, role);
            (item is FunctionResultContent ? results : contents).Add(item);
            endsWithMcpResult = false;
        }

        if (results.Count > 0)
        {
            messages.Add(new ChatMessage(ChatRole.Tool, results));
        }

        if (contents.Count > 0 || (results.Count == 0 && !endsWithMcpResult))
        {
            messages.Add(new ChatMessage(role, contents));
        }
    }

    /// <summary>
    /// <c>mcp_tool_use</c> / <c>mcp_tool_result</c> blocks of an assistant turn (the MCP connector's blocks, sent back as
    /// the API returned them) as the function call and result the model saw, under the name it was offered; null for other blocks.
    /// </summary>
    private static AIContent? McpBlock(JsonElement block, string path)
    {
        var type = block.ValueKind == JsonValueKind.Object ? String(block, "type", path) : null;
        switch (type)
        {
            case "mcp_tool_use":
                Allow(block, path, "type", "id", "name", "server_name", "input", "cache_control");
                var input = Object(block, "input", path) ?? throw Invalid(Path(path, "input"), "Field required");
                var arguments = input.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal);
                var offered = Tools.Mcp.McpToolbox.OfferedName(RequiredString(block, "server_name", path), RequiredString(block, "name", path));
                return new FunctionCallContent(RequiredString(block, "id", path), offered, arguments);
            case "mcp_tool_result":
                Allow(block, path, "type", "tool_use_id", "is_error", "content", "cache_control");
                var isError = Boolean(block, "is_error", path) ?? false;
                var result = Get(block, "content") switch
                {
                    null => (object)"",
                    { ValueKind: JsonValueKind.String } text => text.GetString(),
                    { ValueKind: JsonValueKind.Array } blocks => ResultBlocks(blocks, Path(path, "content")),
                    _ => throw Invalid(Path(path, "content"), "Input should be a valid string or list"),
                };
                return new FunctionResultContent(RequiredString(block, "tool_use_id", path), result)
                {
                    Exception = isError ? new ToolResultError(result as string ?? "") : null,
                };
            default:
                return null;
        }
    }

    private static AIContent Block(JsonElement block, string path, ChatRole role)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "Input should be a valid dictionary");
        }

        var type = RequiredString(block, "type", path);
        AIContent content = type switch
        {
            "text" => Text(block, path),
            "image" => Image(block, path),
            "document" => Document(block, path),
            "tool_use" when role == ChatRole.Assistant => ToolUse(block, path),
            "tool_result" when role == ChatRole.User => ToolResult(block, path),
            "thinking" when role == ChatRole.Assistant => Thinking(block, path),
            "redacted_thinking" when role == ChatRole.Assistant => RedactedThinking(block, path),
            "tool_use" or "thinking" or "redacted_thinking" => throw Invalid(Path(path, "type"), $"'{type}' blocks may only appear in assistant messages"),
            "tool_result" => throw Invalid(Path(path, "type"), "'tool_result' blocks may only appear in user messages"),
            _ => throw Invalid(Path(path, "type"), $"Input tag '{type}' found using 'type' does not match any of the expected tags: 'text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'"),
        };
        content.RawRepresentation = JsonSerializer.Deserialize<ContentBlockParam>(block);
        return content;
    }

    private static TextContent Text(JsonElement block, string path)
    {
        Allow(block, path, "type", "text", "cache_control", "citations");
        return new TextContent(RequiredString(block, "text", path));
    }

    private static AIContent Image(JsonElement block, string path)
    {
        Allow(block, path, "type", "source", "cache_control");
        var source = Object(block, "source", path) ?? throw Invalid(Path(path, "source"), "Field required");
        var sourcePath = Path(path, "source");
        switch (RequiredString(source, "type", sourcePath))
        {
            case "base64":
                Allow(source, sourcePath, "type", "media_type", "data");
                var mediaType = RequiredString(source, "media_type", sourcePath);
                if (mediaType is not ("image/jpeg" or "image/png" or "image/gif" or "image/webp"))
                {
                    throw Invalid(Path(sourcePath, "media_type"), "Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'");
                }

                return new DataContent(Base64(source, sourcePath), mediaType);
            case "url":
                Allow(source, sourcePath, "type", "url");
                return new UriContent(Url(source, sourcePath), "image/*");
            default:
                throw Invalid(Path(sourcePath, "type"), "Input tag does not match any of the expected tags: 'base64', 'url'");
        }
    }

    private static AIContent Document(JsonElement block, string path)
    {
        Allow(block, path, "type", "source", "title", "context", "citations", "cache_control");
        var source = Object(block, "source", path) ?? throw Invalid(Path(path, "source"), "Field required");
        var sourcePath = Path(path, "source");
        switch (RequiredString(source, "type", sourcePath))
        {
            case "base64":
                Allow(source, sourcePath, "type", "media_type", "data");
                return new DataContent(Base64(source, sourcePath), RequiredString(source, "media_type", sourcePath));
            case "text":
                Allow(source, sourcePath, "type", "media_type", "data");
                return new TextContent(RequiredString(source, "data", sourcePath));
            case "url":
                Allow(source, sourcePath, "type", "url");
                return new UriContent(Url(source, sourcePath), "application/pdf");
            default:
                throw Invalid(Path(sourcePath, "type"), "Input tag does not match any of the expected tags: 'base64', 'text', 'url'");
        }
    }

    private static FunctionCallContent ToolUse(JsonElement block, string path)
    {
        Allow(block, path, "type", "id", "name", "input", "cache_control");
        var input = Object(block, "input", path) ?? throw Invalid(Path(path, "input"), "Field required");
        return new FunctionCallContent(RequiredString(block, "id", path), RequiredString(block, "name", path), ToolArguments.FromObject(input));
    }

    private static FunctionResultContent ToolResult(JsonElement block, string path)
    {
        Allow(block, path, "type", "tool_use_id", "content", "is_error", "cache_control");
        var id = RequiredString(block, "tool_use_id", path);
        var isError = Boolean(block, "is_error", path) ?? false;
        object? result = Get(block, "content") switch
        {
            null => "",
            { ValueKind: JsonValueKind.String } text => text.GetString(),
            { ValueKind: JsonValueKind.Array } blocks => ResultBlocks(blocks, Path(path, "content")),
            _ => throw Invalid(Path(path, "content"), "Input should be a valid string or list"),
        };

        // M.E.AI marks a failed call by its exception; the message is the result text the model reads.
        return new FunctionResultContent(id, result) { Exception = isError ? new ToolResultError(result as string ?? "") : null };
    }

    /// <summary>Text-only results become one string, the form every provider takes; images stay contents.</summary>
    private static object ResultBlocks(JsonElement blocks, string path)
    {
        var contents = new List<AIContent>();
        foreach (var block in blocks.EnumerateArray())
        {
            var blockPath = $"{path}.{contents.Count}";
            var type = block.ValueKind == JsonValueKind.Object ? String(block, "type", blockPath) : null;
            contents.Add(type switch
            {
                "text" => Text(block, blockPath),
                "image" => Image(block, blockPath),
                "document" => Document(block, blockPath),
                _ => throw Invalid(Path(blockPath, "type"), "tool_result content blocks must be 'text', 'image' or 'document'"),
            });
        }

        if (contents.TrueForAll(c => c is TextContent))
        {
            var text = new StringBuilder();
            foreach (var content in contents)
            {
                text.Append(((TextContent)content).Text);
            }

            return text.ToString();
        }

        return contents;
    }

    private static TextReasoningContent Thinking(JsonElement block, string path)
    {
        Allow(block, path, "type", "thinking", "signature");
        return new TextReasoningContent(RequiredString(block, "thinking", path)) { ProtectedData = String(block, "signature", path) };
    }

    private static TextReasoningContent RedactedThinking(JsonElement block, string path)
    {
        Allow(block, path, "type", "data");
        return new TextReasoningContent("") { ProtectedData = RequiredString(block, "data", path) };
    }

    private static byte[] Base64(JsonElement source, string path)
    {
        try
        {
            return Convert.FromBase64String(RequiredString(source, "data", path));
        }
        catch (FormatException)
        {
            throw Invalid(Path(path, "data"), "Invalid base64 data");
        }
    }

    private static Uri Url(JsonElement source, string path) =>
        Uri.TryCreate(RequiredString(source, "url", path), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw Invalid(Path(path, "url"), "Input should be a valid http(s) URL");
}

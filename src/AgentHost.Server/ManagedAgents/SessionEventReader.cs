using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Errors;
using AgentHost.Server.Http;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// Reads the events a client sends (<c>events</c> of a send, a session's <c>initial_events</c>): each checked field by
/// field and returned in its stored shape, without id or time (the log stamps them). Events for features AgentHost lacks
/// are refused by name.
/// </summary>
internal static class SessionEventReader
{
    public static List<JsonObject> Read(JsonRequest request, string field, bool initial)
    {
        var events = new List<JsonObject>();
        var index = 0;
        foreach (var element in request.Array(field, 100) ?? [])
        {
            var item = request.Item(element, field, index++);
            var type = item.RequiredString("type");
            if (initial && type is not ("user.message" or "user.define_outcome"))
            {
                throw item.InvalidValue("type", $"'{type}' cannot start a session: only user.message (and user.define_outcome) can.");
            }

            events.Add(type switch
            {
                "user.message" => Message(item.Allow("type", "content")),
                "user.interrupt" => Interrupt(item.Allow("type", "session_thread_id")),
                "user.tool_confirmation" => Confirmation(item.Allow("type", "tool_use_id", "result", "deny_message")),
                "user.custom_tool_result" => CustomToolResult(item.Allow("type", "custom_tool_use_id", "content", "is_error")),
                "user.define_outcome" => throw Unsupported.Outcomes(item.Name("type")),
                "user.tool_result" => throw Unsupported.Feature(item.Name("type"), "user.tool_result",
                    "answers agent toolset calls of self_hosted environments, which AgentHost does not have: AgentHost runs the agent toolset itself."),
                "system.message" => throw Unsupported.Feature(item.Name("type"), "system.message events", "are not supported by AgentHost; set the agent's system prompt instead."),
                _ => throw item.InvalidValue("type", $"'{type}' is not an event a client can send (user.message, user.interrupt, user.tool_confirmation, user.custom_tool_result)."),
            });
        }

        return events.Count > 0 || initial ? events : throw ApiException.Invalid($"'{request.Name(field)}' must hold at least one event.", request.Name(field));
    }

    private static JsonObject Message(JsonRequest item)
    {
        var content = Blocks(item, "content", ["text", "image", "document"], required: true);
        return new JsonObject { ["type"] = "user.message", ["content"] = content };
    }

    private static JsonObject Interrupt(JsonRequest item) =>
        item.String("session_thread_id") is not null ? throw Unsupported.MultiAgent(item.Name("session_thread_id")) : new JsonObject { ["type"] = "user.interrupt" };

    private static JsonObject Confirmation(JsonRequest item)
    {
        var result = item.RequiredString("result");
        if (result is not ("allow" or "deny"))
        {
            throw item.InvalidValue("result", $"'{result}' is not one of allow, deny.");
        }

        var message = item.String("deny_message", 10_000);
        if (message is not null && result != "deny")
        {
            throw item.InvalidValue("deny_message", "is only allowed when result is 'deny'.");
        }

        return new JsonObject { ["type"] = "user.tool_confirmation", ["tool_use_id"] = item.RequiredString("tool_use_id"), ["result"] = result, ["deny_message"] = message };
    }

    private static JsonObject CustomToolResult(JsonRequest item) => new()
    {
        ["type"] = "user.custom_tool_result",
        ["custom_tool_use_id"] = item.RequiredString("custom_tool_use_id"),
        ["content"] = Blocks(item, "content", ["text"], required: false),
        ["is_error"] = item.Boolean("is_error") ?? false,
    };

    /// <summary>Content blocks of the allowed types: text, images (base64 or URL), plain-text documents.</summary>
    private static JsonArray Blocks(JsonRequest item, string field, string[] allowed, bool required)
    {
        var blocks = new JsonArray();
        var index = 0;
        foreach (var element in item.Array(field, 1000) ?? [])
        {
            var block = item.Item(element, field, index++);
            var type = block.RequiredString("type");
            if (!allowed.Contains(type))
            {
                throw block.InvalidValue("type", $"'{type}' blocks are not supported here; use {string.Join(", ", allowed)}.");
            }

            switch (type)
            {
                case "text":
                    block.Allow("type", "text");
                    blocks.Add(new JsonObject { ["type"] = "text", ["text"] = block.RequiredString("text") });
                    break;
                case "image":
                    block.Allow("type", "source");
                    blocks.Add(new JsonObject { ["type"] = "image", ["source"] = Source(block, ["base64", "url"]) });
                    break;
                case "document":
                    block.Allow("type", "source", "title", "context");
                    blocks.Add(new JsonObject { ["type"] = "document", ["source"] = Source(block, ["text"]), ["title"] = block.String("title"), ["context"] = block.String("context") });
                    break;
            }
        }

        return blocks.Count > 0 || !required ? blocks : throw ApiException.Invalid($"'{item.Name(field)}' must hold at least one block.", item.Name(field));
    }

    private static JsonNode Source(JsonRequest block, string[] allowed)
    {
        var source = block.Object("source") ?? throw ApiException.Invalid($"Missing required parameter: '{block.Name("source")}'.", block.Name("source"), "missing_required_parameter");
        var type = source.RequiredString("type");
        if (!allowed.Contains(type))
        {
            throw source.InvalidValue("type", $"'{type}' sources are not supported here; use {string.Join(", ", allowed)}.");
        }

        if (type == "base64")
        {
            try
            {
                Convert.FromBase64String(source.RequiredString("data"));
            }
            catch (FormatException)
            {
                throw source.InvalidValue("data", "is not base64.");
            }

            source.RequiredString("media_type");
        }
        else if (type == "url" && !Uri.TryCreate(source.RequiredString("url"), UriKind.Absolute, out _))
        {
            throw source.InvalidValue("url", "is not an absolute URL.");
        }
        else if (type == "text")
        {
            source.RequiredString("data");
        }

        return JsonNode.Parse(source.Root.GetRawText())!;
    }
}

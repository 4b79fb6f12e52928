using System.Text.Json;
using Microsoft.Extensions.AI;
using static AgentHost.Server.AnthropicApi.AnthropicField;

namespace AgentHost.Server.AnthropicApi;

/// <summary>Reads a Messages API body (or a count_tokens body) into M.E.AI messages and options, refusing what the API refuses.</summary>
internal static class AnthropicRequestReader
{
    public static MessagesCall Read(JsonElement body, bool countTokens = false)
    {
        if (countTokens)
        {
            // The count_tokens parameters of the pinned Anthropic TypeScript SDK, beta included.
            Allow(body, "", "model", "messages", "system", "tools", "tool_choice", "thinking", "mcp_servers", "billing_policy", "cache_control",
                "compaction", "context_management", "output_config", "output_format", "speed", "user_profile_id", "workspace_id");
        }
        else
        {
            // Every field of the Messages API's create parameters (beta included) as the pinned Anthropic TypeScript
            // SDK defines them; any other field is still Anthropic's 400. `thread` is resolved before (MessageThreads).
            Allow(body, "", "model", "messages", "max_tokens", "system", "metadata", "stop_sequences", "stream", "temperature",
                "top_p", "top_k", "tools", "tool_choice", "thinking", "service_tier", "billing_policy", "cache_control", "compaction",
                "container", "context_management", "diagnostics", "fallback_credit_token", "fallbacks", "inference_geo", "mcp_servers",
                "output_config", "output_format", "speed", "thread", "user_profile_id", "workspace_id");
        }

        // Fields whose omission would change what the call means are refused by name rather than dropped.
        foreach (var (field, why) in Unsupported)
        {
            if (Get(body, field) is { ValueKind: not JsonValueKind.Null })
            {
                throw Invalid(field, why);
            }
        }

        var dropped = new List<string>();
        foreach (var field in Dropped)
        {
            if (Get(body, field) is { ValueKind: not JsonValueKind.Null })
            {
                dropped.Add(field);
            }
        }

        var model = RequiredString(body, "model");
        if (string.IsNullOrWhiteSpace(model))
        {
            throw Invalid("model", "String should have at least 1 character");
        }

        var maxTokens = countTokens ? 0 : Integer(body, "max_tokens", 1) ?? throw Invalid("max_tokens", "Field required");
        var messages = new List<ChatMessage>();
        if (Get(body, "system") is { } system)
        {
            messages.Add(new ChatMessage(ChatRole.System, AnthropicContentReader.System(system)));
        }

        var index = 0;
        foreach (var message in Array(body, "messages") ?? throw Invalid("messages", "Field required"))
        {
            AnthropicContentReader.Message(message, $"messages.{index++}", messages);
        }

        if (index == 0)
        {
            throw Invalid("messages", "List should have at least 1 item after validation, not 0");
        }

        MergeSystemTurns(messages, hasSystem: Get(body, "system") is not null);

        var options = new ChatOptions
        {
            ModelId = model,
            MaxOutputTokens = countTokens ? null : maxTokens,
            Temperature = (float?)Number(body, "temperature", 0, 1),
            TopP = (float?)Number(body, "top_p", 0, 1),
            TopK = Integer(body, "top_k", 0),
            StopSequences = StopSequences(body),
        };
        options.Tools = Tools(body, dropped);
        var effort = OutputConfig(body, options, dropped);
        var toolChoice = ToolChoice(body, options);
        var thinking = Thinking(body, maxTokens, countTokens);
        var metadata = Object(body, "metadata");
        if (metadata is { } m)
        {
            Allow(m, "metadata", "user_id");
            String(m, "user_id", "metadata");
        }

        if (thinking is { } t && t.TryGetProperty("display", out _))
        {
            dropped.Add("thinking.display");
        }

        var passthrough = new AnthropicPassthrough(maxTokens, thinking, toolChoice, metadata) { Effort = effort };
        if (!passthrough.IsEmpty)
        {
            options.RawRepresentationFactory = passthrough.Create;
        }

        return new MessagesCall
        {
            Model = model,
            Messages = messages,
            Options = options,
            Stream = !countTokens && (Boolean(body, "stream") ?? false),
            Passthrough = passthrough,
            Tools = Get(body, "tools"),
            Dropped = dropped,
        };
    }

    /// <summary>
    /// System turns among the messages (recent Claude Code versions send them) join the system prompt, in their
    /// order after the top-level <c>system</c>: Claude takes a system prompt only at the top, and an OpenAI-wire model
    /// then reads the same instructions in the same place. Their text is kept; block options such as cache_control are not.
    /// </summary>
    private static void MergeSystemTurns(List<ChatMessage> messages, bool hasSystem)
    {
        List<AIContent>? merged = null;
        for (var i = hasSystem ? 1 : 0; i < messages.Count; i++)
        {
            if (messages[i].Role != ChatRole.System)
            {
                continue;
            }

            merged ??= [];
            foreach (var content in messages[i].Contents)
            {
                if (content is TextContent { Text.Length: > 0 } text)
                {
                    merged.Add(new TextContent(text.Text));
                }
            }

            messages.RemoveAt(i--);
        }

        if (merged is null)
        {
            return;
        }

        if (hasSystem)
        {
            foreach (var content in merged)
            {
                messages[0].Contents.Add(content);
            }
        }
        else
        {
            messages.Insert(0, new ChatMessage(ChatRole.System, merged));
        }
    }

    private static readonly (string Field, string Why)[] Unsupported =
    [
        ("container", "AgentHost has no code execution container for /v1/messages; run code in your client."),
    ];

    /// <summary>Accepted and not carried to the serving model (listed in the call's trace): none changes what the answer means.</summary>
    public static readonly string[] Dropped =
    [
        "billing_policy", "cache_control", "compaction", "context_management", "diagnostics", "fallback_credit_token", "fallbacks",
        "inference_geo", "service_tier", "speed", "user_profile_id", "workspace_id",
    ];

    /// <summary>
    /// <c>output_config.format</c> (or the older <c>output_format</c>) becomes a JSON-schema response format;
    /// <c>output_config.effort</c> is returned for OpenAI reasoning models (other models drop it).
    /// </summary>
    private static string? OutputConfig(JsonElement body, ChatOptions options, List<string> dropped)
    {
        string? effort = null;
        JsonElement? format = Object(body, "output_format");
        if (Object(body, "output_config") is { } config)
        {
            Allow(config, "output_config", "effort", "format", "task_budget");
            effort = String(config, "effort", "output_config");
            if (effort is not (null or "low" or "medium" or "high" or "max" or "xhigh"))
            {
                throw Invalid("output_config.effort", $"Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
            }

            format = Object(config, "format", "output_config") ?? format;
            if (Get(config, "task_budget") is not null)
            {
                dropped.Add("output_config.task_budget");
            }
        }

        if (format is { } f)
        {
            var type = RequiredString(f, "type", "output_config.format");
            if (type != "json_schema")
            {
                throw Invalid("output_config.format.type", $"Input tag '{type}' found using 'type' does not match any of the expected tags: 'json_schema'");
            }

            var schema = Object(f, "schema", "output_config.format") ?? throw Invalid("output_config.format.schema", "Field required");
            options.ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.Clone(), "output");
        }

        return effort;
    }

    private static List<string>? StopSequences(JsonElement body)
    {
        if (Array(body, "stop_sequences") is not { } items)
        {
            return null;
        }

        var sequences = new List<string>();
        foreach (var item in items)
        {
            sequences.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Invalid($"stop_sequences.{sequences.Count}", "Input should be a valid string"));
        }

        return sequences.Count > 0 ? sequences : null;
    }

    private static List<AITool>? Tools(JsonElement body, List<string> dropped)
    {
        if (Array(body, "tools") is not { } items)
        {
            return null;
        }

        var tools = new List<AITool>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var tool in items)
        {
            var path = $"tools.{index++}";
            if (tool.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, "Input should be a valid dictionary");
            }

            var type = String(tool, "type", path);
            if (type == "mcp_toolset")
            {
                // Read with mcp_servers (MessagesMcpServersReader); its tools are added when the servers are asked for them.
                continue;
            }

            if (type is not (null or "custom"))
            {
                throw Invalid(Path(path, "type"), $"'{type}' is not supported by AgentHost; only custom (client) tools are.");
            }

            Allow(tool, path, "type", "name", "description", "input_schema", "cache_control", "strict", "defer_loading", "input_examples",
                "eager_input_streaming", "allowed_callers");
            foreach (var extra in (ReadOnlySpan<string>)["defer_loading", "input_examples", "eager_input_streaming", "allowed_callers"])
            {
                if (Get(tool, extra) is not null && !dropped.Contains("tools[]." + extra))
                {
                    dropped.Add("tools[]." + extra);
                }
            }

            var name = RequiredString(tool, "name", path);
            if (name.Length is 0 or > 128 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                throw Invalid(Path(path, "name"), "String should match pattern '^[a-zA-Z0-9_-]{1,128}$'");
            }

            if (!names.Add(name))
            {
                throw Invalid("tools", $"Tool names must be unique; '{name}' appears twice.");
            }

            var schema = Object(tool, "input_schema", path) ?? throw Invalid(Path(path, "input_schema"), "Field required");
            if (!schema.TryGetProperty("type", out var schemaType) || schemaType.ValueKind != JsonValueKind.String || schemaType.GetString() != "object")
            {
                throw Invalid(Path(Path(path, "input_schema"), "type"), "Input should be 'object'");
            }

            tools.Add(new AnthropicToolDeclaration(name, String(tool, "description", path) ?? "", schema.Clone(), CacheControl(tool, path)));
        }

        return tools;
    }

    private static JsonElement? CacheControl(JsonElement owner, string path)
    {
        if (Object(owner, "cache_control", path) is not { } control)
        {
            return null;
        }

        var at = Path(path, "cache_control");
        Allow(control, at, "type", "ttl");
        if (RequiredString(control, "type", at) != "ephemeral")
        {
            throw Invalid(Path(at, "type"), "Input should be 'ephemeral'");
        }

        if (String(control, "ttl", at) is not (null or "5m" or "1h"))
        {
            throw Invalid(Path(at, "ttl"), "Input should be '5m' or '1h'");
        }

        return control.Clone();
    }

    private static JsonElement? ToolChoice(JsonElement body, ChatOptions options)
    {
        if (Object(body, "tool_choice") is not { } choice)
        {
            return null;
        }

        var type = RequiredString(choice, "type", "tool_choice");
        var disableParallel = Boolean(choice, "disable_parallel_tool_use", "tool_choice") ?? false;
        switch (type)
        {
            case "auto":
                Allow(choice, "tool_choice", "type", "disable_parallel_tool_use");
                options.ToolMode = ChatToolMode.Auto;
                break;
            case "any":
                Allow(choice, "tool_choice", "type", "disable_parallel_tool_use");
                options.ToolMode = ChatToolMode.RequireAny;
                break;
            case "tool":
                Allow(choice, "tool_choice", "type", "name", "disable_parallel_tool_use");
                options.ToolMode = ChatToolMode.RequireSpecific(RequiredString(choice, "name", "tool_choice"));
                break;
            case "none":
                Allow(choice, "tool_choice", "type");
                options.ToolMode = ChatToolMode.None;
                break;
            default:
                throw Invalid("tool_choice.type", $"Input tag '{type}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'");
        }

        options.AllowMultipleToolCalls = !disableParallel;
        return choice.Clone();
    }

    private static JsonElement? Thinking(JsonElement body, int maxTokens, bool countTokens)
    {
        if (Object(body, "thinking") is not { } thinking)
        {
            return null;
        }

        var type = RequiredString(thinking, "type", "thinking");
        switch (type)
        {
            case "enabled":
                Allow(thinking, "thinking", "type", "budget_tokens", "display");
                var budget = Integer(thinking, "budget_tokens", 1024, "thinking") ?? throw Invalid("thinking.budget_tokens", "Field required");
                if (!countTokens && budget >= maxTokens)
                {
                    throw Invalid("max_tokens", $"`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size");
                }

                break;
            case "disabled" or "adaptive":
                Allow(thinking, "thinking", "type", "display");
                break;
            default:
                throw Invalid("thinking.type", $"Input tag '{type}' found using 'type' does not match any of the expected tags: 'enabled', 'disabled', 'adaptive'");
        }

        return thinking.Clone();
    }
}

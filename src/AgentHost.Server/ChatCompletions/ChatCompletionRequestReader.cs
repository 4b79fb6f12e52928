using System.Text.Json;
using AgentHost.Core.Errors;
using AgentHost.Server.AnthropicApi;
using AgentHost.Server.Compat;
using AgentHost.Server.Http;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.ChatCompletions;

/// <summary>Reads a Chat Completions body into M.E.AI messages and options, refusing what the API refuses, in its words.</summary>
internal static class ChatCompletionRequestReader
{
    public static ChatCompletionCall Read(JsonElement body, int anthropicDefaultMaxTokens)
    {
        var request = new JsonRequest(body).Allow(
            "model", "messages", "tools", "tool_choice", "parallel_tool_calls", "response_format", "stream", "stream_options",
            "max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "n", "seed", "frequency_penalty",
            "presence_penalty", "user", "metadata", "store", "reasoning_effort", "logprobs", "service_tier");
        var model = request.RequiredString("model");
        if (string.IsNullOrWhiteSpace(model))
        {
            throw request.InvalidValue("model", "expected a model name, got an empty string.");
        }

        if ((request.Integer("n", 1, 128) ?? 1) != 1)
        {
            throw request.InvalidValue("n", "AgentHost returns one choice per request; 'n' must be 1.");
        }

        if (request.Boolean("logprobs") == true)
        {
            throw request.InvalidValue("logprobs", "log probabilities are not available through AgentHost.");
        }

        var messages = new List<ChatMessage>();
        var index = 0;
        foreach (var element in request.Array("messages") ?? throw ApiException.Invalid("Missing required parameter: 'messages'.", "messages", "missing_required_parameter"))
        {
            messages.Add(ChatCompletionMessageReader.Read(request.Item(element, "messages", index++)));
        }

        if (index == 0)
        {
            throw ApiException.Invalid("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "messages", "empty_array");
        }

        var maxTokens = request.Integer("max_completion_tokens", 1) ?? request.Integer("max_tokens", 1);
        var options = new ChatOptions
        {
            ModelId = model,
            MaxOutputTokens = maxTokens,
            Temperature = (float?)request.Number("temperature", 0, 2),
            TopP = (float?)request.Number("top_p", 0, 1),
            FrequencyPenalty = (float?)request.Number("frequency_penalty", -2, 2),
            PresencePenalty = (float?)request.Number("presence_penalty", -2, 2),
            Seed = request.Get("seed") is { ValueKind: JsonValueKind.Number } seed && seed.TryGetInt64(out var s) ? s : null,
            StopSequences = Stop(request),
            Tools = Tools(request),
            ResponseFormat = ResponseFormat(request),
            AllowMultipleToolCalls = request.Boolean("parallel_tool_calls"),
            Reasoning = request.ReasoningEffort() switch
            {
                null => null,
                "none" => new ReasoningOptions { Effort = ReasoningEffort.None },
                "minimal" or "low" => new ReasoningOptions { Effort = ReasoningEffort.Low },
                "medium" => new ReasoningOptions { Effort = ReasoningEffort.Medium },
                "high" => new ReasoningOptions { Effort = ReasoningEffort.High },
                _ => new ReasoningOptions { Effort = ReasoningEffort.ExtraHigh },
            },
        };
        var anthropicToolChoice = ToolChoice(request, options);
        if (options.AllowMultipleToolCalls == false && options.ToolMode is null && options.Tools is { Count: > 0 })
        {
            // Claude carries "no parallel calls" inside tool_choice; an explicit auto mode makes the adapter send it.
            options.ToolMode = ChatToolMode.Auto;
        }

        if (anthropicToolChoice is not null)
        {
            // M.E.AI's Anthropic adapter turns any required mode into "any"; a named function needs Anthropic's own form.
            options.RawRepresentationFactory = new AnthropicPassthrough(maxTokens ?? anthropicDefaultMaxTokens, null, anthropicToolChoice, null).Create;
        }

        var streamOptions = request.Object("stream_options")?.Allow("include_usage", "include_obfuscation");
        return new ChatCompletionCall
        {
            Model = model,
            Messages = messages,
            Options = options,
            Stream = request.Boolean("stream") ?? false,
            IncludeUsage = streamOptions?.Boolean("include_usage") ?? false,
        };
    }

    private static List<string>? Stop(JsonRequest request) => request.Get("stop") switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } one => [one.GetString()!],
        { ValueKind: JsonValueKind.Array } => [.. request.Strings("stop", 4)],
        var other => throw request.WrongType("stop", "a string or an array", other.GetValueOrDefault()),
    };

    private static List<AITool>? Tools(JsonRequest request)
    {
        if (request.Tools() is not { } tools)
        {
            return null;
        }

        var result = new List<AITool>(tools.Count);
        foreach (var tool in tools)
        {
            var function = tool.Function ?? throw request.InvalidValue("tools", $"'{tool.Type}' tools are not available in chat completions; only 'function' tools are.");
            result.Add(AIFunctionFactory.CreateDeclaration(function.Name, function.Description, function.Parameters));
        }

        return result;
    }

    /// <summary>Sets the tool mode; returns Anthropic's <c>tool_choice</c> when a function is named.</summary>
    private static JsonElement? ToolChoice(JsonRequest request, ChatOptions options)
    {
        switch (request.Get("tool_choice"))
        {
            case null:
                return null;
            case { ValueKind: JsonValueKind.String } mode:
                options.ToolMode = mode.GetString() switch
                {
                    "none" => ChatToolMode.None,
                    "auto" => ChatToolMode.Auto,
                    "required" => ChatToolMode.RequireAny,
                    var other => throw request.InvalidValue("tool_choice", $"'{other}' is not one of ['none', 'auto', 'required'] or a named function."),
                };
                return null;
            case { ValueKind: JsonValueKind.Object }:
                var choice = request.Object("tool_choice")!.Allow("type", "function");
                if (choice.RequiredString("type") != "function")
                {
                    throw choice.InvalidValue("type", "expected 'function'.");
                }

                var name = (choice.Object("function") ?? throw ApiException.Invalid("Missing required parameter: 'tool_choice.function'.", "tool_choice.function", "missing_required_parameter"))
                    .Allow("name").RequiredString("name");
                options.ToolMode = ChatToolMode.RequireSpecific(name);
                using (var buffer = new MemoryStream())
                {
                    using (var writer = new Utf8JsonWriter(buffer))
                    {
                        writer.WriteStartObject();
                        writer.WriteString("type", "tool");
                        writer.WriteString("name", name);
                        writer.WriteBoolean("disable_parallel_tool_use", options.AllowMultipleToolCalls == false);
                        writer.WriteEndObject();
                    }

                    return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
                }

            case var other:
                throw request.WrongType("tool_choice", "a string or an object", other.GetValueOrDefault());
        }
    }

    private static ChatResponseFormat? ResponseFormat(JsonRequest request)
    {
        if (request.Object("response_format") is not { } format)
        {
            return null;
        }

        switch (format.RequiredString("type"))
        {
            case "text":
                format.Allow("type");
                return ChatResponseFormat.Text;
            case "json_object":
                format.Allow("type");
                return ChatResponseFormat.Json;
            case "json_schema":
                format.Allow("type", "json_schema");
                var schema = (format.Object("json_schema") ?? throw ApiException.Invalid("Missing required parameter: 'response_format.json_schema'.", "response_format.json_schema", "missing_required_parameter"))
                    .Allow("name", "description", "schema", "strict");
                return ChatResponseFormat.ForJsonSchema(
                    schema.Object("schema")?.Root.Clone() ?? JsonDocument.Parse("{}").RootElement.Clone(),
                    schema.RequiredName("name"),
                    schema.String("description"));
            case var other:
                throw format.InvalidValue("type", $"'{other}' is not one of ['text', 'json_object', 'json_schema'].");
        }
    }
}

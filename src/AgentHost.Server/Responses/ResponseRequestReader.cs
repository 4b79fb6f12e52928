using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.Tools;
using AgentHost.Server.Http;

namespace AgentHost.Server.Responses;

/// <summary>Reads <c>POST /v1/responses</c> field by field, refusing what the original refuses with its messages.</summary>
internal static class ResponseRequestReader
{
    private static readonly string[] Fields =
    [
        "model", "input", "instructions", "previous_response_id", "conversation", "store", "background", "stream", "stream_options", "metadata",
        "temperature", "top_p", "max_output_tokens", "max_tool_calls", "text", "reasoning", "tools", "tool_choice", "parallel_tool_calls", "truncation",
        "include", "user", "safety_identifier", "prompt_cache_key", "prompt_cache_retention", "service_tier", "top_logprobs", "prompt",
        "prompt_cache_options", "context_management",
    ];

    public static readonly string[] Includable =
    [
        "file_search_call.results", "message.output_text.logprobs", "reasoning.encrypted_content", "message.input_image.image_url",
        "code_interpreter_call.outputs", "computer_call_output.output.image_url", "web_search_call.action.sources", "web_search_call.results",
    ];

    public static ResponseCreation Read(JsonRequest request, ToolSources sources)
    {
        request.Allow(Fields);
        if (request.HasNonNull("prompt"))
        {
            throw ApiException.Invalid("Stored prompt templates ('prompt') are not supported by AgentHost; send 'instructions' and 'input' instead.", "prompt", "unsupported_parameter");
        }

        if (request.HasNonNull("context_management"))
        {
            throw ApiException.Invalid("'context_management' is not supported by AgentHost; use 'truncation' or POST /v1/responses/compact.", "context_management", "unsupported_parameter");
        }

        var model = request.RequiredString("model");
        var input = ResponseInputReader.Read(request, "input");
        var instructions = request.String("instructions");
        var previous = request.String("previous_response_id");
        var conversation = Conversation(request);
        if (previous is not null && conversation is not null)
        {
            throw ApiException.Invalid("Mutually exclusive parameters: Ensure you are only providing one of: 'previous_response_id' or 'conversation'.", null, "mutually_exclusive_parameters");
        }

        var store = request.Boolean("store") ?? true;
        var background = request.Boolean("background") ?? false;
        if (background && !store)
        {
            throw ApiException.Invalid("Background mode requires 'store' to be true.", "background", "invalid_value");
        }

        if (request.Object("stream_options") is { } streamOptions)
        {
            streamOptions.Allow("include_obfuscation");
            streamOptions.Boolean("include_obfuscation");
        }

        var (tools, toolsEcho, vectorStores) = ResponseToolReader.Read(request, sources);
        var (format, textEcho) = Text(request);
        var (effort, summary, reasoningEcho) = Reasoning(request);
        var (choice, choiceEcho) = ToolChoiceOf(request, tools);
        var truncation = request.String("truncation") ?? "disabled";
        if (truncation is not ("auto" or "disabled"))
        {
            throw request.InvalidValue("truncation", $"'{truncation}' is not one of ['auto', 'disabled'].");
        }

        var include = request.Strings("include", 16);
        foreach (var (value, i) in include.Select((v, i) => (v, i)))
        {
            if (Array.IndexOf(Includable, value) < 0)
            {
                throw ApiException.Invalid($"Invalid value: '{value}'. Supported values are: {string.Join(", ", Includable.Select(v => $"'{v}'"))}.", $"include[{i}]", "invalid_value");
            }
        }

        var metadata = request.Metadata() ?? new Dictionary<string, string>();
        var temperature = request.Number("temperature", 0, 2);
        var topP = request.Number("top_p", 0, 1);
        var maxOutput = request.Integer("max_output_tokens", 16);
        var maxToolCalls = request.Integer("max_tool_calls", 1);
        var parallel = request.Boolean("parallel_tool_calls") ?? true;
        var serviceTier = request.String("service_tier");
        if (serviceTier is not (null or "auto" or "default" or "flex" or "scale" or "priority"))
        {
            throw request.InvalidValue("service_tier", $"'{serviceTier}' is not one of ['auto', 'default', 'flex', 'scale', 'priority'].");
        }

        var topLogprobs = request.Integer("top_logprobs", 0, 20);
        var settings = new JsonObject
        {
            ["background"] = background,
            ["conversation"] = conversation is null ? null : new JsonObject { ["id"] = conversation },
            ["instructions"] = instructions,
            ["max_output_tokens"] = maxOutput,
            ["max_tool_calls"] = maxToolCalls,
            ["model"] = model,
            ["parallel_tool_calls"] = parallel,
            ["previous_response_id"] = previous,
            ["prompt_cache_key"] = request.String("prompt_cache_key"),
            ["prompt_cache_retention"] = request.String("prompt_cache_retention"),
            ["reasoning"] = reasoningEcho,
            ["safety_identifier"] = request.String("safety_identifier"),
            ["service_tier"] = serviceTier ?? "default",
            ["store"] = store,
            ["temperature"] = temperature ?? 1.0,
            ["text"] = textEcho,
            ["tool_choice"] = choiceEcho,
            ["tools"] = toolsEcho,
            ["top_logprobs"] = topLogprobs ?? 0,
            ["top_p"] = topP ?? 1.0,
            ["truncation"] = truncation,
            ["user"] = request.String("user"),
            ["metadata"] = Metadata(metadata),
            ["include"] = new JsonArray([.. include.Select(v => JsonValue.Create(v))]),
        };

        return new ResponseCreation
        {
            Settings = settings,
            Input = input,
            Model = model,
            Instructions = instructions,
            Tools = tools,
            ToolResources = vectorStores.Count == 0 ? new ToolResources() : new ToolResources { FileSearch = new FileSearchResources { VectorStoreIds = vectorStores } },
            Metadata = metadata,
            Temperature = temperature,
            TopP = topP,
            ReasoningEffort = effort,
            ReasoningSummary = summary,
            MaxOutputTokens = maxOutput,
            MaxToolCalls = maxToolCalls,
            ToolChoice = choice,
            ParallelToolCalls = parallel,
            ResponseFormat = format,
            TruncationDisabled = truncation == "disabled",
            PreviousResponseId = previous,
            ConversationId = conversation,
            Store = store,
            Background = background,
            Stream = request.Boolean("stream") ?? false,
            Include = include,
        };
    }

    public static JsonObject Metadata(IReadOnlyDictionary<string, string> metadata)
    {
        var echo = new JsonObject();
        foreach (var (key, value) in metadata)
        {
            echo[key] = value;
        }

        return echo;
    }

    private static string? Conversation(JsonRequest request)
    {
        if (request.Get("conversation") is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        return request.Object("conversation")!.Allow("id").RequiredString("id");
    }

    private static (ResponseFormat Format, JsonObject Echo) Text(JsonRequest request)
    {
        var text = request.Object("text")?.Allow("format", "verbosity");
        var verbosity = text?.String("verbosity") ?? "medium";
        if (verbosity is not ("low" or "medium" or "high"))
        {
            throw text!.InvalidValue("verbosity", $"'{verbosity}' is not one of ['low', 'medium', 'high'].");
        }

        var format = text?.Object("format");
        var type = format?.RequiredString("type") ?? "text";
        ResponseFormat engine;
        JsonObject formatEcho;
        switch (type)
        {
            case "text":
            case "json_object":
                format?.Allow("type");
                engine = new ResponseFormat { Type = type };
                formatEcho = new JsonObject { ["type"] = type };
                break;
            case "json_schema":
                format!.Allow("type", "name", "schema", "description", "strict");
                var name = format.RequiredString("name", 64);
                var schema = format.Object("schema") ?? throw ApiException.Invalid($"Missing required parameter: '{format.Name("schema")}'.", format.Name("schema"), "missing_required_parameter");
                var strict = format.Boolean("strict");
                var description = format.String("description");
                formatEcho = new JsonObject
                {
                    ["type"] = type,
                    ["description"] = description,
                    ["name"] = name,
                    ["schema"] = JsonNode.Parse(schema.Root.GetRawText()),
                    ["strict"] = strict ?? false,
                };
                if (description is null)
                {
                    formatEcho.Remove("description");
                }

                engine = new ResponseFormat { Type = type, JsonSchema = JsonSerializer.SerializeToElement(formatEcho, ResponsesJsonContext.Default.JsonObject) };
                break;
            default:
                throw format!.InvalidValue("type", $"'{type}' is not one of ['text', 'json_object', 'json_schema'].");
        }

        return (engine, new JsonObject { ["format"] = formatEcho, ["verbosity"] = verbosity });
    }

    private static (string? Effort, string? Summary, JsonObject Echo) Reasoning(JsonRequest request)
    {
        var reasoning = request.Object("reasoning")?.Allow("effort", "summary", "generate_summary");
        var effort = reasoning?.String("effort");
        if (effort is not (null or "none" or "minimal" or "low" or "medium" or "high" or "xhigh"))
        {
            throw reasoning!.InvalidValue("effort", $"'{effort}' is not one of ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'].");
        }

        var summary = reasoning?.String("summary") ?? reasoning?.String("generate_summary");
        if (summary is not (null or "auto" or "concise" or "detailed"))
        {
            throw reasoning!.InvalidValue("summary", $"'{summary}' is not one of ['auto', 'concise', 'detailed'].");
        }

        return (effort, summary, new JsonObject { ["effort"] = effort, ["summary"] = summary });
    }

    private static (ToolChoice Choice, JsonNode Echo) ToolChoiceOf(JsonRequest request, IReadOnlyList<ToolDefinition> tools)
    {
        if (request.Get("tool_choice") is not { } value)
        {
            return (ToolChoice.Auto, JsonValue.Create("auto"));
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var mode = value.GetString()!;
            return mode switch
            {
                "auto" => (ToolChoice.Auto, JsonValue.Create(mode)),
                "none" => (ToolChoice.None, JsonValue.Create(mode)),
                "required" => (ToolChoice.Required, JsonValue.Create(mode)),
                _ => throw request.InvalidValue("tool_choice", $"'{mode}' is not one of ['none', 'auto', 'required']."),
            };
        }

        var choice = request.Object("tool_choice")!;
        var type = choice.RequiredString("type");
        var echo = JsonNode.Parse(choice.Root.GetRawText())!;
        switch (type)
        {
            case "function":
            case "custom":
                choice.Allow("type", "name");
                var name = choice.RequiredString("name");
                if (!tools.Any(t => t.Function?.Name == name))
                {
                    throw choice.InvalidValue("name", $"No tool named '{name}' is in 'tools'.");
                }

                return (new ToolChoice { Type = ToolTypes.Function, FunctionName = name }, echo);
            case "allowed_tools":
                choice.Allow("type", "mode", "tools");
                var allowedMode = choice.String("mode") ?? "auto";
                return (allowedMode == "required" ? ToolChoice.Required : ToolChoice.Auto, echo);
            default:
                choice.Allow("type");
                if (!tools.Any(t => t.Type == type))
                {
                    throw choice.InvalidValue("type", $"No tool of type '{type}' is in 'tools'.");
                }

                return (new ToolChoice { Type = type }, echo);
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.Tools;
using AgentHost.Server.Http;

namespace AgentHost.Server.Responses;

/// <summary>
/// Reads a response's <c>tools</c> (the Responses shapes: flat <c>function</c>, <c>custom</c>, <c>file_search</c>, and any
/// type a tool source serves) into the engine's definitions, and refuses the hosted tools AgentHost cannot run by name.
/// </summary>
internal static class ResponseToolReader
{
    /// <summary>The JSON Schema a <c>custom</c> tool is offered to the model with: its free-form input as one string.</summary>
    public static readonly JsonElement CustomToolSchema = JsonDocument.Parse(
        """{"type":"object","properties":{"input":{"type":"string","description":"The tool's free-form input."}},"required":["input"]}""").RootElement.Clone();

    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["web_search"] = "web search",
        ["web_search_preview"] = "web search",
        ["web_search_2025_08_26"] = "web search",
        ["web_search_preview_2025_03_11"] = "web search",
        ["image_generation"] = "image generation",
        ["computer_use_preview"] = "computer use",
        ["computer"] = "computer use",
        ["local_shell"] = "a local shell",
        ["shell"] = "a shell",
        ["apply_patch"] = "apply_patch",
    };

    public static (IReadOnlyList<ToolDefinition> Tools, JsonArray Echo, IReadOnlyList<string> VectorStoreIds) Read(JsonRequest request, ToolSources sources)
    {
        var tools = new List<ToolDefinition>();
        var echo = new JsonArray();
        var vectorStores = new List<string>();
        var index = 0;
        foreach (var element in request.Array("tools", 128) ?? [])
        {
            var tool = request.Item(element, "tools", index++);
            var type = tool.RequiredString("type");
            switch (type)
            {
                case ToolTypes.Function:
                    tool.Allow("type", "name", "description", "parameters", "strict");
                    var function = new FunctionDefinition
                    {
                        Name = Name(tool),
                        Description = tool.String("description"),
                        Parameters = tool.Object("parameters")?.Root.Clone() ?? FunctionDefinition.EmptyObjectSchema,
                        Strict = tool.Boolean("strict") ?? true,
                    };
                    tools.Add(new ToolDefinition { Type = type, Function = function });
                    echo.Add(new JsonObject
                    {
                        ["type"] = type,
                        ["description"] = function.Description,
                        ["name"] = function.Name,
                        ["parameters"] = JsonNode.Parse(function.Parameters.GetRawText()),
                        ["strict"] = function.Strict,
                    });
                    break;
                case "custom":
                    tool.Allow("type", "name", "description", "format");
                    var name = Name(tool);
                    var description = tool.String("description");
                    tools.Add(new ToolDefinition
                    {
                        Type = ToolTypes.Function,
                        Function = new FunctionDefinition { Name = name, Description = description, Parameters = CustomToolSchema, Strict = false },
                    });
                    var custom = new JsonObject { ["type"] = type, ["name"] = name, ["description"] = description };
                    if (tool.Object("format") is { } format)
                    {
                        custom["format"] = JsonNode.Parse(format.Root.GetRawText());
                    }

                    echo.Add(custom);
                    break;
                case ToolTypes.FileSearch:
                    tool.Allow("type", "vector_store_ids", "filters", "max_num_results", "ranking_options");
                    var ids = tool.Strings("vector_store_ids", 2);
                    if (ids.Count == 0)
                    {
                        throw ApiException.Invalid($"Missing required parameter: '{tool.Name("vector_store_ids")}'.", tool.Name("vector_store_ids"), "missing_required_parameter");
                    }

                    vectorStores.AddRange(ids);
                    var settings = new FileSearchSettings { MaxNumResults = tool.Integer("max_num_results", 1, 50), RankingOptions = tool.Get("ranking_options")?.Clone() };
                    var definition = new ToolDefinition { Type = type, FileSearch = settings };
                    if (tool.Get("filters") is { } filters)
                    {
                        if (filters.ValueKind != JsonValueKind.Object)
                        {
                            throw tool.WrongType("filters", "an object", filters);
                        }

                        definition.Settings = new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["filters"] = filters.Clone() };
                    }

                    tools.Add(definition);
                    echo.Add(new JsonObject
                    {
                        ["type"] = type,
                        ["filters"] = tool.Get("filters") is { } f ? JsonNode.Parse(f.GetRawText()) : null,
                        ["max_num_results"] = settings.MaxNumResults ?? 20,
                        ["ranking_options"] = tool.Get("ranking_options") is { } r ? JsonNode.Parse(r.GetRawText()) : new JsonObject { ["ranker"] = "auto", ["score_threshold"] = 0.0 },
                        ["vector_store_ids"] = new JsonArray([.. ids.Select(id => JsonValue.Create(id))]),
                    });
                    break;
                case ToolTypes.CodeInterpreter:
                    if (tools.Any(t => t.Type == type))
                    {
                        throw ApiException.Invalid("Only one 'code_interpreter' tool may be given in 'tools'.", tool.Path, "invalid_value");
                    }

                    var (codeInterpreter, codeEcho) = ResponseCodeInterpreter.Read(tool);
                    tools.Add(codeInterpreter);
                    echo.Add(codeEcho);
                    break;
                default:
                    if (Unsupported.TryGetValue(type, out var what))
                    {
                        throw ApiException.Invalid(
                            $"The tool type '{type}' is not supported by AgentHost: it cannot provide {what}. Supported tool types: {string.Join(", ", Supported(sources).Select(t => $"'{t}'"))}.",
                            tool.Name("type"), "unsupported_tool_type");
                    }

                    if (sources.For(type) is not { } source)
                    {
                        throw tool.InvalidValue("type", $"'{type}' is not one of [{string.Join(", ", Supported(sources).Select(t => $"'{t}'"))}].");
                    }

                    var extra = tool.Root.EnumerateObject().Where(p => p.Name != "type").ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
                    tools.Add(source.Validate(new ToolDefinition { Type = type, Settings = extra.Count == 0 ? null : extra }, tool.Path));
                    echo.Add(type == ResponseMcpTool.Type ? ResponseMcpTool.Echo(tool.Root) : JsonNode.Parse(tool.Root.GetRawText()));
                    break;
            }
        }

        var duplicate = tools.Where(t => t.Function is not null).GroupBy(t => t.Function!.Name).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? (tools, echo, vectorStores)
            : throw ApiException.Invalid($"Duplicate tool name '{duplicate.Key}' in 'tools'.", "tools");
    }

    /// <summary>The names of the <c>custom</c> tools in a response's echoed tools.</summary>
    public static HashSet<string> CustomNames(JsonArray? echo) =>
        [.. (echo ?? []).OfType<JsonObject>().Where(t => (string?)t["type"] == "custom").Select(t => (string)t["name"]!)];

    private static IEnumerable<string> Supported(ToolSources sources) =>
        new[] { ToolTypes.Function, "custom", ToolTypes.FileSearch }.Concat(sources.Types.Where(t => t != ToolTypes.FileSearch)).Distinct().Order(StringComparer.Ordinal);

    private static string Name(JsonRequest tool)
    {
        var name = tool.RequiredString("name", 64);
        return name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? name
            : throw tool.InvalidValue("name", $"'{name}' does not match '^[a-zA-Z0-9_-]{{1,64}}$'.");
    }
}

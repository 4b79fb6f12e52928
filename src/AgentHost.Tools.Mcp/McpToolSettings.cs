using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Errors;

namespace AgentHost.Tools.Mcp;

/// <summary>
/// The <c>mcp</c> tool as the Responses API shapes it, which AgentHost also accepts on assistants, runs and (as
/// <c>mcp_servers</c>) Messages calls: <c>server_label</c>, <c>server_url</c>, <c>headers</c>, <c>allowed_tools</c>,
/// <c>require_approval</c> and <c>server_description</c>.
/// </summary>
internal sealed record McpToolSettings
{
    public static readonly string[] Fields = ["server_label", "server_url", "headers", "allowed_tools", "require_approval", "server_description"];

    public required string Label { get; init; }

    public string? Url { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The tools the model may see; null for all.</summary>
    public IReadOnlySet<string>? AllowedTools { get; init; }

    /// <summary>When set, only tools the server marks read-only (<c>readOnlyHint</c>) are offered.</summary>
    public bool ReadOnlyOnly { get; init; }

    public McpApprovalPolicy Approval { get; init; } = McpApprovalPolicy.AlwaysAsk;

    public string? Description { get; init; }

    /// <summary>Reads the settings of a definition; throws an <see cref="ApiException"/> naming the field (under <paramref name="parameter"/>) when one is wrong.</summary>
    public static McpToolSettings Read(ToolDefinition definition, string parameter)
    {
        var settings = definition.Settings ?? [];
        var unknown = settings.Keys.FirstOrDefault(k => !Fields.Contains(k, StringComparer.Ordinal));
        if (unknown is not null)
        {
            throw ApiException.Invalid($"Unknown parameter: '{Name(parameter, unknown)}'. An mcp tool takes {string.Join(", ", Fields.Select(f => $"'{f}'"))}.",
                Name(parameter, unknown), "unknown_parameter");
        }

        var label = String(definition, parameter, "server_label")
            ?? throw ApiException.Invalid($"Missing required parameter: '{Name(parameter, "server_label")}'.", Name(parameter, "server_label"), "missing_required_parameter");
        if (label.Length is 0 or > 40 || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw Invalid(parameter, "server_label", $"'{label}' does not match '^[A-Za-z0-9_-]{{1,40}}$'.");
        }

        var url = String(definition, parameter, "server_url");
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            throw Invalid(parameter, "server_url", $"'{url}' is not an absolute http(s) URL.");
        }

        return new McpToolSettings
        {
            Label = label,
            Url = url,
            Headers = ReadHeaders(definition, parameter),
            AllowedTools = Allowed(definition, parameter, out var readOnly),
            ReadOnlyOnly = readOnly,
            Approval = McpApprovalPolicy.Read(definition.Setting("require_approval"), Name(parameter, "require_approval")),
            Description = String(definition, parameter, "server_description"),
        };
    }

    /// <summary>Reads settings already checked when the definition was stored.</summary>
    public static McpToolSettings Of(ToolDefinition definition) => Read(definition, "tools");

    private static IReadOnlyDictionary<string, string> ReadHeaders(ToolDefinition definition, string parameter)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (definition.Setting("headers") is not { } value)
        {
            return headers;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(parameter, "headers", "expected an object of header names to string values.");
        }

        foreach (var header in value.EnumerateObject())
        {
            headers[header.Name] = header.Value.ValueKind == JsonValueKind.String
                ? header.Value.GetString()!
                : throw Invalid(parameter, "headers", $"the value of '{header.Name}' must be a string.");
        }

        return headers;
    }

    private static IReadOnlySet<string>? Allowed(ToolDefinition definition, string parameter, out bool readOnly)
    {
        readOnly = false;
        if (definition.Setting("allowed_tools") is not { } value)
        {
            return null;
        }

        JsonElement names;
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                if (property.Name is not ("tool_names" or "read_only"))
                {
                    throw Invalid(parameter, "allowed_tools", $"unknown field '{property.Name}'; expected 'tool_names' and/or 'read_only'.");
                }
            }

            readOnly = value.TryGetProperty("read_only", out var flag) && flag.ValueKind == JsonValueKind.True;
            if (!value.TryGetProperty("tool_names", out names) || names.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
        }
        else
        {
            names = value;
        }

        if (names.ValueKind != JsonValueKind.Array || names.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.String))
        {
            throw Invalid(parameter, "allowed_tools", "expected an array of tool names, or {\"tool_names\": [...], \"read_only\": true|false}.");
        }

        return names.EnumerateArray().Select(n => n.GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    private static string? String(ToolDefinition definition, string parameter, string field) => definition.Setting(field) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        _ => throw ApiException.Invalid($"Invalid type for '{Name(parameter, field)}': expected a string.", Name(parameter, field), "invalid_type"),
    };

    internal static ApiException Invalid(string parameter, string field, string message) =>
        ApiException.Invalid($"Invalid value for '{Name(parameter, field)}': {message}", Name(parameter, field), "invalid_value");

    private static string Name(string parameter, string field) => parameter.Length == 0 ? field : $"{parameter}.{field}";
}

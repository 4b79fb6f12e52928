using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Errors;

namespace AgentHost.Core.Tools.AgentToolset;

/// <summary>
/// The settings of an <c>agent_toolset_20260401</c> definition as the official SDK types define them:
/// <c>default_config</c> (<c>enabled</c>, <c>permission_policy</c>) and <c>configs</c> (per tool: <c>name</c>,
/// <c>enabled</c>, <c>permission_policy</c>, and the web tools' own fields), plus <c>container_id</c>, which the front
/// door sets to the session's workspace container. A tool's config overrides the default; the default policy is
/// <c>always_allow</c> and every tool is enabled unless a config says otherwise.
/// </summary>
public sealed record AgentToolsetConfig
{
    /// <summary>The definition type.</summary>
    public const string Type = "agent_toolset_20260401";

    /// <summary>The setting naming the container that is the session's workspace (<c>cntr_…</c>), set by the front door.</summary>
    public const string ContainerIdSetting = "container_id";

    public const string AlwaysAllow = "always_allow";
    public const string AlwaysAsk = "always_ask";
    public const string Auto = "auto";

    private static readonly string[] Policies = [AlwaysAllow, AlwaysAsk, Auto];
    private static readonly string[] Fields = ["default_config", "configs", ContainerIdSetting];
    private static readonly string[] DefaultFields = ["enabled", "permission_policy"];
    private static readonly string[] ToolFields = ["name", "type", "enabled", "permission_policy"];
    private static readonly string[] WebFetchFields = ["allowed_domains", "blocked_domains", "max_content_tokens", "url_sources"];
    private static readonly string[] WebSearchFields = ["allowed_domains", "blocked_domains", "user_location"];

    /// <summary>Every tool of the toolset, resolved, in <see cref="AgentToolNames.All"/> order.</summary>
    public required IReadOnlyList<AgentToolConfig> Tools { get; init; }

    /// <summary>The workspace container, or null when the front door has not set one yet.</summary>
    public string? ContainerId { get; init; }

    /// <summary>The resolved default: whether tools are enabled unless configured, and their policy.</summary>
    public required AgentToolConfig Default { get; init; }

    /// <summary>The tools the model is offered.</summary>
    public IEnumerable<AgentToolConfig> Enabled => Tools.Where(t => t.Enabled);

    /// <summary>The resolved config of <paramref name="name"/>, or null when it is not a tool of the toolset.</summary>
    public AgentToolConfig? Tool(string name) => Tools.FirstOrDefault(t => t.Name == name);

    /// <summary>Reads and checks a definition; throws an <see cref="ApiException"/> naming the field (under <paramref name="parameter"/>) when one is wrong.</summary>
    public static AgentToolsetConfig Read(ToolDefinition definition, string parameter)
    {
        var settings = definition.Settings ?? [];
        foreach (var key in settings.Keys)
        {
            if (!Fields.Contains(key, StringComparer.Ordinal))
            {
                throw Unknown(Name(parameter, key), "an agent_toolset_20260401 tool takes 'default_config' and 'configs'");
            }
        }

        var containerId = definition.Setting(ContainerIdSetting) switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } id => id.GetString(),
            _ => throw Invalid(Name(parameter, ContainerIdSetting), "must be a container id (a string)."),
        };

        var enabled = true;
        var policy = AlwaysAllow;
        var defaultName = Name(parameter, "default_config");
        if (definition.Setting("default_config") is { } defaults)
        {
            RequireObject(defaults, defaultName);
            CheckFields(defaults, defaultName, DefaultFields, "default_config takes 'enabled' and 'permission_policy'");
            enabled = Bool(defaults, "enabled", defaultName) ?? true;
            policy = Policy(defaults, defaultName) ?? AlwaysAllow;
        }

        var tools = AgentToolNames.All.ToDictionary(n => n, n => new AgentToolConfig(n, enabled, policy), StringComparer.Ordinal);
        var configsName = Name(parameter, "configs");
        if (definition.Setting("configs") is { } configs)
        {
            if (configs.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(configsName, "must be an array of tool configs.");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var config in configs.EnumerateArray())
            {
                var at = $"{configsName}[{index++}]";
                var tool = ReadTool(config, at);
                if (!seen.Add(tool.Name))
                {
                    throw Invalid($"{at}.name", $"'{tool.Name}' is configured twice; give each tool at most one config.");
                }

                tools[tool.Name] = new AgentToolConfig(tool.Name, tool.Enabled ?? enabled, tool.Policy ?? policy);
            }
        }

        return new AgentToolsetConfig
        {
            Tools = [.. AgentToolNames.All.Select(n => tools[n])],
            ContainerId = containerId,
            Default = new AgentToolConfig("default", enabled, policy),
        };
    }

    /// <summary>Reads settings already checked when the definition was stored.</summary>
    public static AgentToolsetConfig Of(ToolDefinition definition) => Read(definition, "tools");

    private static (string Name, bool? Enabled, string? Policy) ReadTool(JsonElement config, string at)
    {
        RequireObject(config, at);
        if (!config.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
        {
            throw ApiException.Invalid($"Missing required parameter: '{at}.name' (one of {List(AgentToolNames.All)}).", $"{at}.name", "missing_required_parameter");
        }

        var name = nameElement.GetString()!;
        if (!AgentToolNames.All.Contains(name, StringComparer.Ordinal))
        {
            throw Invalid($"{at}.name", $"'{name}' is not a tool of agent_toolset_20260401; expected one of {List(AgentToolNames.All)}.");
        }

        string[] allowed = name switch
        {
            AgentToolNames.WebFetch => [.. ToolFields, .. WebFetchFields],
            AgentToolNames.WebSearch => [.. ToolFields, .. WebSearchFields],
            _ => ToolFields,
        };
        CheckFields(config, at, allowed, $"the {name} config takes {List(allowed)}");
        if (config.TryGetProperty("type", out var type) && type.ValueKind != JsonValueKind.Null && (type.ValueKind != JsonValueKind.String || type.GetString() != name))
        {
            throw Invalid($"{at}.type", $"must be '{name}', the config's name.");
        }

        if (name is AgentToolNames.WebFetch or AgentToolNames.WebSearch)
        {
            CheckDomains(config, at);
        }

        if (config.TryGetProperty("max_content_tokens", out var tokens) && tokens.ValueKind != JsonValueKind.Null
            && (tokens.ValueKind != JsonValueKind.Number || !tokens.TryGetInt32(out var count) || count < 1))
        {
            throw Invalid($"{at}.max_content_tokens", "must be a positive integer.");
        }

        foreach (var objectField in new[] { "url_sources", "user_location" })
        {
            if (config.TryGetProperty(objectField, out var value) && value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                throw Invalid($"{at}.{objectField}", "must be an object.");
            }
        }

        return (name, Bool(config, "enabled", at), Policy(config, at));
    }

    private static void CheckDomains(JsonElement config, string at)
    {
        var given = 0;
        foreach (var field in new[] { "allowed_domains", "blocked_domains" })
        {
            if (!config.TryGetProperty(field, out var domains) || domains.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            given++;
            if (domains.ValueKind != JsonValueKind.Array || domains.GetArrayLength() is 0 or > 64
                || domains.EnumerateArray().Any(d => d.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(d.GetString())))
            {
                throw Invalid($"{at}.{field}", "must be a list of 1 to 64 hostnames (omit the field instead of sending an empty list).");
            }
        }

        if (given == 2)
        {
            throw Invalid($"{at}.blocked_domains", "cannot be combined with allowed_domains.");
        }
    }

    private static string? Policy(JsonElement config, string at)
    {
        if (!config.TryGetProperty("permission_policy", out var policy) || policy.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (policy.ValueKind != JsonValueKind.Object || !policy.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
            || !Policies.Contains(type.GetString(), StringComparer.Ordinal))
        {
            throw Invalid($"{at}.permission_policy", $"must be an object whose 'type' is one of {List(Policies)}.");
        }

        var extra = policy.EnumerateObject().FirstOrDefault(p => p.Name != "type");
        if (extra.Value.ValueKind != JsonValueKind.Undefined)
        {
            throw Unknown($"{at}.permission_policy.{extra.Name}", "a permission policy takes only 'type'");
        }

        return type.GetString();
    }

    private static bool? Bool(JsonElement config, string field, string at) =>
        !config.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw Invalid($"{at}.{field}", "must be true or false.");

    private static void RequireObject(JsonElement value, string at)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(at, "must be an object.");
        }
    }

    private static void CheckFields(JsonElement value, string at, string[] allowed, string hint)
    {
        foreach (var property in value.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal))
            {
                throw Unknown($"{at}.{property.Name}", hint);
            }
        }
    }

    private static string Name(string parameter, string field) => $"{parameter}.{field}";

    private static string List(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"'{v}'"));

    private static ApiException Invalid(string param, string problem) => ApiException.Invalid($"Invalid '{param}': {problem}", param, "invalid_value");

    private static ApiException Unknown(string param, string hint) =>
        ApiException.Invalid($"Unknown parameter: '{param}'; {hint}.", param, "unknown_parameter");
}

using System.Text.Json;
using AgentHost.Core.Errors;

namespace AgentHost.Tools.Mcp;

/// <summary>
/// <c>require_approval</c>: <c>"always"</c> (the default, as in the Responses API), <c>"never"</c>, or per tool:
/// <c>{"always": {"tool_names": [...]}, "never": {"tool_names": [...]}}</c>, where unnamed tools need approval.
/// </summary>
internal sealed record McpApprovalPolicy(bool AskByDefault, IReadOnlySet<string> AlwaysTools, IReadOnlySet<string> NeverTools)
{
    public static McpApprovalPolicy AlwaysAsk { get; } = new(true, new HashSet<string>(), new HashSet<string>());

    public static McpApprovalPolicy NeverAsk { get; } = new(false, new HashSet<string>(), new HashSet<string>());

    public bool Requires(string tool) => AlwaysTools.Contains(tool) || (!NeverTools.Contains(tool) && AskByDefault);

    public static McpApprovalPolicy Read(JsonElement? value, string parameter)
    {
        switch (value)
        {
            case null:
                return AlwaysAsk;
            case { ValueKind: JsonValueKind.String } text when text.GetString() == "always":
                return AlwaysAsk;
            case { ValueKind: JsonValueKind.String } text when text.GetString() == "never":
                return NeverAsk;
            case { ValueKind: JsonValueKind.Object } filter:
                var always = new HashSet<string>(StringComparer.Ordinal);
                var never = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in filter.EnumerateObject())
                {
                    var target = property.Name switch
                    {
                        "always" => always,
                        "never" => never,
                        _ => throw Wrong(parameter),
                    };
                    target.UnionWith(Names(property.Value, parameter));
                }

                return new McpApprovalPolicy(true, always, never);
            default:
                throw Wrong(parameter);
        }
    }

    private static IEnumerable<string> Names(JsonElement filter, string parameter)
    {
        if (filter.ValueKind != JsonValueKind.Object || !filter.TryGetProperty("tool_names", out var names) || names.ValueKind != JsonValueKind.Array
            || names.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.String))
        {
            throw Wrong(parameter);
        }

        return names.EnumerateArray().Select(n => n.GetString()!);
    }

    private static ApiException Wrong(string parameter) => ApiException.Invalid(
        $"Invalid value for '{parameter}': expected 'always', 'never', or {{\"always\": {{\"tool_names\": [...]}}, \"never\": {{\"tool_names\": [...]}}}}.",
        parameter, "invalid_value");
}

using System.Text.Json;

namespace AgentHost.Server.Mcp;

/// <summary>Reads a <c>tools/call</c>'s arguments; a missing or wrong one is a <see cref="McpToolCallException"/> naming it.</summary>
internal sealed class McpToolArguments(string tool, IDictionary<string, JsonElement>? arguments)
{
    public string RequiredString(string name)
    {
        var value = OptionalString(name);
        return string.IsNullOrWhiteSpace(value) ? throw Invalid(name, "is required: a non-empty string") : value;
    }

    public string? OptionalString(string name) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        { } other => throw Invalid(name, $"must be a string, not {other.ValueKind.ToString().ToLowerInvariant()}"),
    };

    public int? OptionalInteger(string name, int min, int max) => Get(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } number when number.TryGetInt32(out var value) && value >= min && value <= max => value,
        _ => throw Invalid(name, $"must be an integer from {min} to {max}"),
    };

    /// <summary>Refuses arguments the tool does not take, so a misspelt one is not silently ignored.</summary>
    public McpToolArguments Allow(params string[] names)
    {
        var unknown = (arguments?.Keys ?? []).FirstOrDefault(k => !names.Contains(k, StringComparer.Ordinal));
        return unknown is null ? this : throw new McpToolCallException($"Unknown argument '{unknown}' for {tool}; it takes {string.Join(", ", names)}.");
    }

    private JsonElement? Get(string name) =>
        arguments is not null && arguments.TryGetValue(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) ? value : null;

    private McpToolCallException Invalid(string name, string problem) => new($"Invalid argument '{name}' for {tool}: it {problem}.");
}

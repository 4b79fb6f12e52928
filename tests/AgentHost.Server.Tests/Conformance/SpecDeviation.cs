using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentHost.Server.Tests.Conformance;

/// <summary>
/// A known disagreement between the spec and what the live API sent, as recorded. The server copies
/// the API, so its output is validated with exactly these tolerated. Either some required
/// properties may be absent, or a property the spec types as non-null may be null.
/// </summary>
/// <param name="InstanceLocation">A JSON pointer in which <c>*</c> stands for any array index.</param>
internal sealed partial record SpecDeviation(string SchemaName, string InstanceLocation, string Why)
{
    public IReadOnlySet<string> MissingProperties { get; init; } = new HashSet<string>();

    public bool AllowsNull { get; init; }

    public static SpecDeviation MissingRequired(string schemaName, string instanceLocation, string why, params string[] properties) =>
        new(schemaName, instanceLocation, why) { MissingProperties = properties.ToHashSet(StringComparer.Ordinal) };

    public static SpecDeviation Null(string schemaName, string instanceLocation, string why) =>
        new(schemaName, instanceLocation, why) { AllowsNull = true };

    /// <summary>Whether these deviations, together, explain the error.</summary>
    public static bool Explain(IEnumerable<SpecDeviation> deviations, string schemaName, SchemaValidationError error)
    {
        var applicable = deviations.Where(d => d.SchemaName == schemaName && d.Matches(error.InstanceLocation)).ToList();
        return error.Keyword switch
        {
            "required" => Missing(error.Message) is { } missing
                && missing.All(p => applicable.Any(d => d.MissingProperties.Contains(p))),
            "type" => error.Message.StartsWith("Value is \"null\"", StringComparison.Ordinal) && applicable.Any(d => d.AllowsNull),
            _ => false,
        };
    }

    public override string ToString() => $"{SchemaName} at '{InstanceLocation}': {Why}";

    private bool Matches(string instanceLocation) =>
        Regex.IsMatch(instanceLocation, "^" + Regex.Escape(InstanceLocation).Replace(@"\*", "[0-9]+") + "$");

    // JsonSchema.Net words it: Required properties ["a","b"] are not present
    private static string[]? Missing(string message) =>
        RequiredList().Match(message) is { Success: true } match
            ? JsonSerializer.Deserialize<string[]>(match.Value)
            : null;

    [GeneratedRegex(@"\[.*\]")]
    private static partial Regex RequiredList();
}

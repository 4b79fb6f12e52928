namespace AgentHost.Server.Tests.Conformance;

/// <summary>The outcome of validating one JSON document against one spec component schema.</summary>
internal sealed record SchemaValidationResult(string SchemaName, IReadOnlyList<SchemaValidationError> Errors)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>This result without the errors that the given known deviations explain.</summary>
    public SchemaValidationResult Tolerating(IEnumerable<SpecDeviation> deviations) =>
        this with { Errors = [.. Errors.Where(e => !SpecDeviation.Explain(deviations, SchemaName, e))] };

    public override string ToString() => IsValid
        ? $"valid {SchemaName}"
        : $"not a valid {SchemaName}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", Errors);
}

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Json.Schema;

namespace AgentHost.Server.Tests.Conformance;

/// <summary>The spec's component schemas, parsed once, evaluated by name.</summary>
internal sealed class OpenApiSchemaSet
{
    private readonly EvaluationOptions _options;
    private readonly IReadOnlySet<string> _names;
    private readonly ConcurrentDictionary<string, JsonSchema> _byName = new(StringComparer.Ordinal);

    // JsonSchema.Net builds its evaluation plans lazily on first use; serialise evaluations rather
    // than rely on that being thread-safe. Each evaluation takes well under a millisecond.
    private readonly Lock _evaluation = new();

    public OpenApiSchemaSet(JsonObject jsonSchemaDocument)
    {
        var root = JsonSchema.FromText(jsonSchemaDocument.ToJsonString());
        _options = new EvaluationOptions
        {
            EvaluateAs = SpecVersion.Draft202012,
            OutputFormat = OutputFormat.Hierarchical,
        };
        _options.SchemaRegistry.Register(root);
        _names = jsonSchemaDocument["$defs"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlySet<string> Names => _names;

    public SchemaValidationResult Evaluate(JsonNode? instance, string schemaName)
    {
        if (!_names.Contains(schemaName))
        {
            throw new ArgumentException($"The spec has no component schema named '{schemaName}'.", nameof(schemaName));
        }

        var schema = _byName.GetOrAdd(schemaName, name => new JsonSchemaBuilder()
            .Ref($"{OpenApiToJsonSchema.BaseUri}#/$defs/{name}")
            .Build());

        EvaluationResults results;
        lock (_evaluation)
        {
            results = schema.Evaluate(instance, _options);
        }

        var errors = new List<SchemaValidationError>();
        Collect(results, errors);
        return new SchemaValidationResult(schemaName, errors);
    }

    // Walks only failing branches, so a passing anyOf/oneOf alternative contributes no noise.
    private static void Collect(EvaluationResults results, List<SchemaValidationError> errors)
    {
        if (results.IsValid)
        {
            return;
        }

        foreach (var (keyword, message) in results.Errors ?? new Dictionary<string, string>())
        {
            errors.Add(new SchemaValidationError(
                results.InstanceLocation.ToString(), keyword, message, results.EvaluationPath.ToString()));
        }

        if (results.HasDetails)
        {
            foreach (var detail in results.Details)
            {
                Collect(detail, errors);
            }
        }
    }
}

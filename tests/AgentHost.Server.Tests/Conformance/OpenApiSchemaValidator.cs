using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.Server.Tests.Conformance;

/// <summary>
/// Validates JSON against a named component schema of the OpenAI spec in <c>../shared/</c>
/// (e.g. <c>Validate(json, "RunObject")</c>). The 3 MB spec is parsed once per test run.
/// </summary>
internal static class OpenApiSchemaValidator
{
    private static readonly Lazy<OpenApiSchemaSet> Schemas = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>How long parsing the spec and building the schemas took (about 2 s).</summary>
    public static TimeSpan LoadTime { get; private set; }

    public static IReadOnlySet<string> SchemaNames => Schemas.Value.Names;

    public static SchemaValidationResult Validate(string json, string schemaName) =>
        Schemas.Value.Evaluate(JsonNode.Parse(json), schemaName);

    public static SchemaValidationResult Validate(JsonElement json, string schemaName) =>
        Schemas.Value.Evaluate(JsonNode.Parse(json.GetRawText()), schemaName);

    public static SchemaValidationResult Validate(JsonNode? json, string schemaName) =>
        Schemas.Value.Evaluate(json, schemaName);

    public static void AssertValid(string json, string schemaName) => AssertValid(Validate(json, schemaName));

    public static void AssertValid(JsonElement json, string schemaName) => AssertValid(Validate(json, schemaName));

    /// <summary>Asserts validity but for the spec disagreements the live API showed too.</summary>
    public static void AssertValidAsRecorded(string json, string schemaName) =>
        AssertValid(Validate(json, schemaName).Tolerating(RecordedSpecDeviations.All));

    /// <inheritdoc cref="AssertValidAsRecorded(string, string)"/>
    public static void AssertValidAsRecorded(JsonElement json, string schemaName) =>
        AssertValid(Validate(json, schemaName).Tolerating(RecordedSpecDeviations.All));

    private static void AssertValid(SchemaValidationResult result) => Assert.True(result.IsValid, result.ToString());

    private static OpenApiSchemaSet Load()
    {
        var clock = Stopwatch.StartNew();
        var yaml = File.ReadAllText(SharedArtifacts.OpenApiSpecPath);
        var schemas = new OpenApiSchemaSet(OpenApiToJsonSchema.Convert(YamlToJson.Convert(yaml)));
        LoadTime = clock.Elapsed;
        return schemas;
    }
}

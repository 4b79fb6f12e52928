using System.Text.Json.Nodes;

namespace AgentHost.Server.Tests.Conformance;

/// <summary>
/// Turns an OpenAPI 3.1 document's <c>components.schemas</c> into one JSON Schema 2020-12 document
/// whose <c>$defs</c> hold the components. JsonSchema.Net only follows refs inside schemas, so the
/// components are lifted out and their <c>#/components/schemas/</c> refs rewritten to <c>#/$defs/</c>.
/// </summary>
/// <remarks>
/// The spec still carries OpenAPI 3.0 idioms that JSON Schema does not know; they are translated
/// to what their authors meant: <c>nullable: true</c> (also as an <c>allOf</c> member) admits null,
/// a boolean <c>exclusiveMinimum</c> makes <c>minimum</c> exclusive, and <c>$recursiveRef: "#"</c>
/// points back at its own component. OpenAPI-only annotations (<c>x-*</c>, <c>example</c>,
/// <c>discriminator</c>) are dropped: they never constrain a value.
/// </remarks>
internal static class OpenApiToJsonSchema
{
    public const string BaseUri = "https://agenthost.invalid/openai-spec.json";

    private const string ComponentRefPrefix = "#/components/schemas/";

    private static readonly HashSet<string> SchemaMaps = ["properties", "patternProperties", "$defs", "dependentSchemas"];

    private static readonly HashSet<string> SchemaLists = ["allOf", "anyOf", "oneOf", "prefixItems"];

    private static readonly HashSet<string> SingleSchemas =
    [
        "items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
        "unevaluatedProperties", "unevaluatedItems", "contentSchema",
    ];

    private static readonly HashSet<string> OpenApiAnnotations = ["example", "discriminator", "externalDocs", "xml"];

    public static JsonObject Convert(JsonNode openApi)
    {
        var components = openApi["components"]?["schemas"]?.AsObject()
            ?? throw new InvalidDataException("The OpenAPI document has no components.schemas.");
        var defs = new JsonObject();
        foreach (var (name, schema) in components)
        {
            defs[name] = ConvertSchema(schema, name);
        }

        return new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = BaseUri,
            ["$defs"] = defs,
        };
    }

    private static JsonNode? ConvertSchema(JsonNode? node, string component)
    {
        if (node is not JsonObject source)
        {
            return node?.DeepClone(); // a boolean schema
        }

        var target = new JsonObject();
        var nullable = IsTrue(source["nullable"]);
        foreach (var (keyword, value) in source)
        {
            if (keyword == "nullable" || keyword == "$recursiveAnchor"
                || keyword.StartsWith("x-", StringComparison.Ordinal) || OpenApiAnnotations.Contains(keyword))
            {
                continue;
            }

            if (keyword == "$recursiveRef")
            {
                // Only ever `$recursiveRef: "#"` in the spec: the component refers to itself.
                target["$ref"] = "#/$defs/" + EscapePointer(component);
                continue;
            }

            target[keyword] = keyword switch
            {
                "$ref" => RewriteRef(value!.GetValue<string>()),
                _ when SchemaMaps.Contains(keyword) => ConvertMap(value!.AsObject(), component),
                _ when SchemaLists.Contains(keyword) => ConvertList(value!.AsArray(), component, ref nullable),
                _ when SingleSchemas.Contains(keyword) => ConvertSchema(value, component),
                _ => value?.DeepClone(),
            };
        }

        if (target["allOf"] is JsonArray { Count: 0 })
        {
            target.Remove("allOf");
        }

        FixBooleanExclusiveBound(target, "exclusiveMinimum", "minimum");
        FixBooleanExclusiveBound(target, "exclusiveMaximum", "maximum");
        return nullable ? AdmitNull(target) : target;
    }

    private static JsonObject ConvertMap(JsonObject schemas, string component)
    {
        var result = new JsonObject();
        foreach (var (name, schema) in schemas)
        {
            result[name] = ConvertSchema(schema, component);
        }

        return result;
    }

    private static JsonArray ConvertList(JsonArray schemas, string component, ref bool nullable)
    {
        var result = new JsonArray();
        foreach (var schema in schemas)
        {
            // `allOf: [{$ref: X}, {nullable: true}]` is the 3.0 way to say "X or null".
            if (schema is JsonObject member && IsTrue(member["nullable"])
                && member.All(p => p.Key is "nullable" or "description" or "title"))
            {
                nullable = true;
                continue;
            }

            result.Add(ConvertSchema(schema, component));
        }

        return result;
    }

    private static JsonObject AdmitNull(JsonObject schema)
    {
        if (schema["type"] is JsonValue type && type.TryGetValue<string>(out var name)
            && !schema.ContainsKey("enum") && !schema.ContainsKey("const"))
        {
            schema["type"] = new JsonArray(name, "null");
            return schema;
        }

        return new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) };
    }

    private static void FixBooleanExclusiveBound(JsonObject schema, string exclusive, string inclusive)
    {
        if (schema[exclusive] is not JsonValue value || !value.TryGetValue<bool>(out var isExclusive))
        {
            return;
        }

        schema.Remove(exclusive);
        if (isExclusive && schema[inclusive] is { } bound)
        {
            schema.Remove(inclusive);
            schema[exclusive] = bound;
        }
    }

    private static string RewriteRef(string reference) =>
        reference.StartsWith(ComponentRefPrefix, StringComparison.Ordinal)
            ? "#/$defs/" + reference[ComponentRefPrefix.Length..]
            : reference;

    private static string EscapePointer(string segment) => segment.Replace("~", "~0").Replace("/", "~1");

    private static bool IsTrue(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var b) && b;
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.Providers.Shaping;

/// <summary>
/// Rewrites a tool's JSON schema into what a target accepts, keeping its meaning where the target can say it and
/// moving what it cannot (a <c>format</c>, a <c>pattern</c>) into the property's <c>description</c>, so the model
/// still reads the constraint. Every target needs an object at the top without <c>oneOf</c>/<c>anyOf</c>/<c>allOf</c>
/// there (Anthropic and OpenAI both refuse them). OpenAI also refuses the keywords its structured outputs lack
/// (<c>propertyNames</c>, <c>patternProperties</c>, <c>if</c>/<c>then</c>/<c>else</c>, …) and formats outside its list;
/// compatible servers further get <c>$ref</c> inlined, <c>oneOf</c> as <c>anyOf</c>, <c>const</c> as an
/// <c>enum</c>, and no <c>pattern</c>, <c>format</c> or <c>additionalProperties</c>.
/// </summary>
internal static class ToolSchemaNormalizer
{
    // A $ref cycle (a tree of nodes, say) is cut after this many levels of inlining.
    private const int MaxRefDepth = 4;

    private static readonly HashSet<string> Combinators = ["oneOf", "anyOf", "allOf"];

    private static readonly HashSet<string> OpenAIFormats = ["date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"];

    // Keywords OpenAI's schema subset lacks; compatible servers lack them too.
    private static readonly HashSet<string> UnsupportedByOpenAI =
    [
        "propertyNames", "patternProperties", "unevaluatedProperties", "unevaluatedItems", "dependentRequired", "dependentSchemas",
        "dependencies", "if", "then", "else", "not", "contains", "minContains", "maxContains", "$schema", "$id", "$comment", "examples",
    ];

    // Further keywords compatible servers' schema readers (Gemini-style validators, grammar builders) reject or mishandle.
    private static readonly HashSet<string> UnsupportedByCompatible =
    [
        "additionalProperties", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minProperties", "maxProperties", "uniqueItems", "readOnly", "writeOnly",
        "deprecated", "contentEncoding", "contentMediaType", "$anchor", "$dynamicRef", "$dynamicAnchor",
    ];

    /// <summary>The schema as <paramref name="dialect"/> accepts it, and the keywords changed (empty when it was fine as written).</summary>
    public static (JsonElement Schema, IReadOnlyList<string> Changed) Normalize(JsonElement schema, TargetDialect dialect)
    {
        if (!NeedsChange(schema, dialect))
        {
            return (schema, []);
        }

        var root = JsonNode.Parse(schema.GetRawText())!.AsObject();
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        var definitions = dialect == TargetDialect.Compatible ? Definitions(root) : null;
        FlattenTop(root, changed);
        Rewrite(root, dialect, definitions, changed, depth: 0);
        if (definitions is not null)
        {
            root.Remove("$defs");
            root.Remove("definitions");
        }

        return (JsonSerializer.SerializeToElement(root, ShapingJsonContext.Default.JsonObject), [.. changed]);
    }

    /// <summary>Whether <paramref name="dialect"/> needs the schema changed: a read-only pass, as most schemas need nothing.</summary>
    public static bool NeedsChange(JsonElement schema, TargetDialect dialect) =>
        schema.ValueKind == JsonValueKind.Object && NeedsChange(schema, dialect, top: true);

    private static bool NeedsChange(JsonElement schema, TargetDialect dialect, bool top)
    {
        if (top && (!schema.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "object"))
        {
            return true;
        }

        foreach (var property in schema.EnumerateObject())
        {
            var name = property.Name;
            if ((top && Combinators.Contains(name))
                || (dialect != TargetDialect.Anthropic && (UnsupportedByOpenAI.Contains(name) || (name == "format" && !IsOpenAIFormat(property.Value))))
                || (dialect == TargetDialect.Compatible && (UnsupportedByCompatible.Contains(name) || name is "$ref" or "oneOf" or "const" or "pattern" or "format"
                    || (name == "type" && property.Value.ValueKind == JsonValueKind.Array))))
            {
                return true;
            }

            if (SubSchemas(name, property.Value).Any(child => child.ValueKind == JsonValueKind.Object && NeedsChange(child, dialect, top: false)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The schemas a keyword holds: a map of them, a list of them, or one.</summary>
    private static IEnumerable<JsonElement> SubSchemas(string keyword, JsonElement value) => (keyword, value.ValueKind) switch
    {
        ("properties" or "patternProperties" or "$defs" or "definitions", JsonValueKind.Object) => value.EnumerateObject().Select(p => p.Value),
        ("items" or "additionalProperties" or "not", JsonValueKind.Object) => [value],
        ("items" or "prefixItems" or "anyOf" or "oneOf" or "allOf", JsonValueKind.Array) => value.EnumerateArray(),
        _ => [],
    };

    private static bool IsOpenAIFormat(JsonElement format) => format.ValueKind == JsonValueKind.String && OpenAIFormats.Contains(format.GetString()!);

    /// <summary>The top level becomes a plain object: its combinators' branches are merged into its properties.</summary>
    private static void FlattenTop(JsonObject root, SortedSet<string> changed)
    {
        foreach (var combinator in (ReadOnlySpan<string>)["allOf", "anyOf", "oneOf"])
        {
            if (root[combinator] is not JsonArray branches)
            {
                continue;
            }

            root.Remove(combinator);
            changed.Add(combinator);
            if (root["properties"] is not JsonObject properties)
            {
                properties = [];
                root["properties"] = properties;
            }

            HashSet<string>? required = null;
            foreach (var branch in branches.OfType<JsonObject>())
            {
                foreach (var (name, schema) in branch["properties"] as JsonObject ?? [])
                {
                    if (!properties.ContainsKey(name))
                    {
                        properties[name] = schema?.DeepClone();
                    }
                }

                var branchRequired = (branch["required"] as JsonArray ?? []).Select(n => n?.GetValue<string>()).OfType<string>();

                // allOf requires what every branch requires; anyOf/oneOf only what all branches share.
                required = required is null || combinator == "allOf"
                    ? [.. (required ?? []).Concat(branchRequired)]
                    : [.. required.Intersect(branchRequired)];
            }

            var all = (root["required"] as JsonArray ?? []).Select(n => n?.GetValue<string>()).OfType<string>().Concat(required ?? []).Distinct().ToList();
            if (all.Count > 0)
            {
                root["required"] = new JsonArray([.. all.Select(r => JsonValue.Create(r))]);
            }
        }

        if (root["type"] is not JsonValue type || type.GetValueKind() != JsonValueKind.String || type.GetValue<string>() != "object")
        {
            root["type"] = "object";
            changed.Add("type");
        }

        if (root["properties"] is null)
        {
            root["properties"] = new JsonObject();
        }
    }

    private static void Rewrite(JsonObject schema, TargetDialect dialect, Dictionary<string, JsonNode>? definitions, SortedSet<string> changed, int depth)
    {
        if (dialect != TargetDialect.Anthropic)
        {
            foreach (var name in schema.Select(p => p.Key).Where(UnsupportedByOpenAI.Contains).ToList())
            {
                schema.Remove(name);
                changed.Add(name);
            }

            if (schema["format"] is { } format && (dialect == TargetDialect.Compatible || format.GetValueKind() != JsonValueKind.String || !OpenAIFormats.Contains(format.GetValue<string>())))
            {
                Describe(schema, $"format: {format.ToJsonString().Trim('"')}");
                schema.Remove("format");
                changed.Add("format");
            }
        }

        if (dialect == TargetDialect.Compatible)
        {
            RewriteForCompatible(schema, definitions!, changed, depth);
        }

        foreach (var (name, value) in schema.ToList())
        {
            switch (name)
            {
                case "properties" or "$defs" or "definitions" when value is JsonObject map:
                    foreach (var (_, child) in map)
                    {
                        if (child is JsonObject childSchema)
                        {
                            Rewrite(childSchema, dialect, definitions, changed, depth);
                        }
                    }

                    break;
                case "items" or "additionalProperties" or "not" when value is JsonObject child:
                    Rewrite(child, dialect, definitions, changed, depth);
                    break;
                case "items" or "prefixItems" or "anyOf" or "oneOf" or "allOf" when value is JsonArray list:
                    foreach (var child in list.OfType<JsonObject>())
                    {
                        Rewrite(child, dialect, definitions, changed, depth);
                    }

                    break;
            }
        }
    }

    private static void RewriteForCompatible(JsonObject schema, Dictionary<string, JsonNode> definitions, SortedSet<string> changed, int depth)
    {
        if (schema["$ref"] is JsonValue reference)
        {
            schema.Remove("$ref");
            changed.Add("$ref");
            var target = reference.GetValue<string>();
            if (depth < MaxRefDepth && definitions.TryGetValue(target, out var definition) && definition is JsonObject resolved)
            {
                foreach (var (name, value) in (JsonObject)resolved.DeepClone())
                {
                    if (!schema.ContainsKey(name))
                    {
                        schema[name] = value?.DeepClone();
                    }
                }

                Rewrite(schema, TargetDialect.Compatible, definitions, changed, depth + 1);
            }
            else
            {
                // Too deep, or a reference outside the schema: an open object the model fills in.
                schema["type"] ??= "object";
                Describe(schema, $"a {target.Split('/')[^1]}");
            }
        }

        if (schema["oneOf"] is JsonArray oneOf)
        {
            schema.Remove("oneOf");
            schema["anyOf"] = oneOf;
            changed.Add("oneOf");
        }

        if (schema["const"] is { } constant)
        {
            schema.Remove("const");
            schema["enum"] = new JsonArray(constant.DeepClone());
            changed.Add("const");
        }

        if (schema["pattern"] is { } pattern)
        {
            Describe(schema, $"pattern: {pattern.ToJsonString().Trim('"')}");
            schema.Remove("pattern");
            changed.Add("pattern");
        }

        if (schema["type"] is JsonArray types)
        {
            // ["string", "null"] → "string": nullable types are a union most compatible readers reject.
            var first = types.Select(t => t?.GetValue<string>()).FirstOrDefault(t => t is not null and not "null");
            schema["type"] = first ?? "string";
            changed.Add("type");
        }

        foreach (var name in schema.Select(p => p.Key).Where(UnsupportedByCompatible.Contains).ToList())
        {
            schema.Remove(name);
            changed.Add(name);
        }

        if (schema["type"] is null && schema["anyOf"] is null && schema["enum"] is null)
        {
            if (schema["properties"] is not null)
            {
                schema["type"] = "object";
                changed.Add("type");
            }
            else if (schema["items"] is not null)
            {
                schema["type"] = "array";
                changed.Add("type");
            }
        }
    }

    private static Dictionary<string, JsonNode> Definitions(JsonObject root)
    {
        var definitions = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var (keyword, prefix) in (ReadOnlySpan<(string, string)>)[("$defs", "#/$defs/"), ("definitions", "#/definitions/")])
        {
            foreach (var (name, definition) in root[keyword] as JsonObject ?? [])
            {
                if (definition is not null)
                {
                    definitions[prefix + name] = definition;
                }
            }
        }

        return definitions;
    }

    private static void Describe(JsonObject schema, string constraint)
    {
        var description = schema["description"] is JsonValue existing && existing.GetValueKind() == JsonValueKind.String ? existing.GetValue<string>() : null;
        schema["description"] = string.IsNullOrEmpty(description) ? $"({constraint})" : $"{description} ({constraint})";
    }
}

using System.Text.Json;
using AgentHost.Core.Errors;
using AgentHost.Core.Retrieval;
using AgentHost.Core.VectorStores;
using AgentHost.Server.Http;

namespace AgentHost.Server.VectorStores;

/// <summary>The vector store request fields: chunking strategy, attributes, expiry policy — validated as the original did.</summary>
internal static class VectorStoreRequestFields
{
    public static ChunkingStrategy Chunking(this JsonRequest request, string field = "chunking_strategy")
    {
        if (request.Object(field) is not { } strategy)
        {
            return ChunkingStrategy.Auto;
        }

        var type = strategy.RequiredString("type");
        switch (type)
        {
            case "auto":
                strategy.Allow("type");
                return ChunkingStrategy.Auto;
            case "static":
                strategy.Allow("type", "static");
                var sizes = (strategy.Object("static") ?? throw ApiException.Invalid($"Missing required parameter: '{strategy.Name("static")}'.", strategy.Name("static"), "missing_required_parameter"))
                    .Allow("max_chunk_size_tokens", "chunk_overlap_tokens");
                var max = sizes.Integer("max_chunk_size_tokens", 100, 4096)
                    ?? throw ApiException.Invalid($"Missing required parameter: '{sizes.Name("max_chunk_size_tokens")}'.", sizes.Name("max_chunk_size_tokens"), "missing_required_parameter");
                var overlap = sizes.Integer("chunk_overlap_tokens", 0)
                    ?? throw ApiException.Invalid($"Missing required parameter: '{sizes.Name("chunk_overlap_tokens")}'.", sizes.Name("chunk_overlap_tokens"), "missing_required_parameter");
                return overlap <= max / 2
                    ? new ChunkingStrategy("static", max, overlap)
                    : throw ApiException.Invalid(
                        $"Invalid '{sizes.Name("chunk_overlap_tokens")}': the overlap ({overlap}) must not exceed half of max_chunk_size_tokens ({max}).",
                        sizes.Name("chunk_overlap_tokens"), "invalid_value");
            default:
                throw strategy.InvalidValue("type", $"'{type}' is not one of ['auto', 'static'].");
        }
    }

    /// <summary>Up to 16 attributes; keys up to 64 characters; values strings (up to 512), numbers or booleans.</summary>
    public static IReadOnlyDictionary<string, JsonElement>? Attributes(this JsonRequest request, string field = "attributes")
    {
        if (request.Object(field) is not { } attributes)
        {
            return null;
        }

        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in attributes.Root.EnumerateObject())
        {
            var name = attributes.Name(property.Name);
            if (values.Count == 16)
            {
                throw ApiException.Invalid($"Invalid '{request.Name(field)}': at most 16 attributes are allowed.", request.Name(field), "object_above_max_properties");
            }

            if (property.Name.Length > 64)
            {
                throw ApiException.Invalid($"Invalid '{request.Name(field)}': attribute keys may be at most 64 characters; '{property.Name}' has {property.Name.Length}.", name, "invalid_value");
            }

            values[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String when property.Value.GetString()!.Length > 512 =>
                    throw ApiException.Invalid($"Invalid '{name}': string values may be at most 512 characters.", name, "string_above_max_length"),
                JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.Clone(),
                _ => throw attributes.WrongType(property.Name, "a string, number or boolean", property.Value),
            };
        }

        return values;
    }

    public static ExpiresAfter? ExpiresAfter(this JsonRequest request, string field = "expires_after")
    {
        if (request.Object(field) is not { } policy)
        {
            return null;
        }

        policy.Allow("anchor", "days");
        var anchor = policy.RequiredString("anchor");
        if (anchor != "last_active_at")
        {
            throw policy.InvalidValue("anchor", $"'{anchor}' is not one of ['last_active_at'].");
        }

        var days = policy.Integer("days", 1, 365) ?? throw ApiException.Invalid($"Missing required parameter: '{policy.Name("days")}'.", policy.Name("days"), "missing_required_parameter");
        return new ExpiresAfter(anchor, days);
    }

    public static IReadOnlyList<string> FileIds(this JsonRequest request, string field, int maxItems) => request.Strings(field, maxItems);
}

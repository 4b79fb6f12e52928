using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentHost.Providers.Shaping;

/// <summary>A tool declaration as sent to one target: the same tool with its schema normalised.</summary>
internal sealed class NormalizedToolDeclaration(AIFunctionDeclaration inner, JsonElement schema) : AIFunctionDeclaration
{
    public override string Name => inner.Name;

    public override string Description => inner.Description;

    public override JsonElement JsonSchema => schema;

    public override JsonElement? ReturnJsonSchema => inner.ReturnJsonSchema;

    public override IReadOnlyDictionary<string, object?> AdditionalProperties => inner.AdditionalProperties;

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : inner.GetService(serviceType, serviceKey);
}

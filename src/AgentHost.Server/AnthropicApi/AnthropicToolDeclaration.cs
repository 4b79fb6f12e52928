using System.Text.Json;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// A client tool of a Messages request. Its <c>cache_control</c> rides in <see cref="AITool.AdditionalProperties"/>
/// under <c>CacheControl</c>, where the Anthropic adapter looks for it, so a prompt-cache breakpoint after the tools
/// reaches Claude; other providers ignore it.
/// </summary>
internal sealed class AnthropicToolDeclaration : AIFunctionDeclaration
{
    private readonly IReadOnlyDictionary<string, object?> _additionalProperties;

    public AnthropicToolDeclaration(string name, string description, JsonElement schema, JsonElement? cacheControl)
    {
        Name = name;
        Description = description;
        JsonSchema = schema;
        _additionalProperties = cacheControl is { } control
            ? new Dictionary<string, object?> { ["CacheControl"] = JsonSerializer.Deserialize<CacheControlEphemeral>(control) }
            : EmptyProperties;
    }

    public override string Name { get; }

    public override string Description { get; }

    public override JsonElement JsonSchema { get; }

    public override IReadOnlyDictionary<string, object?> AdditionalProperties => _additionalProperties;

    private static readonly Dictionary<string, object?> EmptyProperties = [];
}

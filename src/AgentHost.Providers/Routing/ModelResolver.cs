using System.Collections.Frozen;
using AgentHost.Core.Models;

namespace AgentHost.Providers.Routing;

/// <summary>
/// Turns a requested model name into a <see cref="ModelTarget"/>: aliases first, then the <c>provider:model</c>
/// form, then the servers' model lists, then the built-in Anthropic and OpenAI families.
/// </summary>
internal sealed class ModelResolver
{
    private readonly FrozenDictionary<string, string> _aliases;
    private readonly FrozenDictionary<string, string> _fallbacks;
    private readonly string? _fallbackModel;
    private readonly FrozenDictionary<string, string> _providersByPrefix;
    private readonly FrozenDictionary<string, string> _serversByModel;
    private readonly (string Prefix, string Server)[] _serversByModelPrefix;

    public ModelResolver(ProviderOptions options)
    {
        _aliases = options.Aliases.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _fallbacks = options.Fallbacks.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _fallbackModel = string.IsNullOrWhiteSpace(options.FallbackModel) ? null : options.FallbackModel;

        var prefixes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [ProviderNames.Anthropic] = ProviderNames.Anthropic,
            [ProviderNames.OpenAI] = ProviderNames.OpenAI,
        };
        var byModel = new Dictionary<string, string>(StringComparer.Ordinal);
        var byModelPrefix = new List<(string, string)>();
        foreach (var (name, server) in options.Servers)
        {
            prefixes[name] = name;
            foreach (var model in server.Models)
            {
                if (model.EndsWith('*'))
                {
                    byModelPrefix.Add((model[..^1], name));
                }
                else
                {
                    byModel.TryAdd(model, name);
                }
            }
        }

        _providersByPrefix = prefixes.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _serversByModel = byModel.ToFrozenDictionary(StringComparer.Ordinal);
        _serversByModelPrefix = [.. byModelPrefix];
    }

    public ModelTarget Resolve(string model)
    {
        var name = _aliases.TryGetValue(model, out var aliased) ? aliased : model;
        return TryResolve(name) ?? throw new ModelUnavailableException(NotConfiguredMessage(model, aliased));
    }

    /// <summary>The fallback for a requested model: its own, its alias target's, or the global one.</summary>
    public string? FallbackFor(string model)
    {
        if (_fallbacks.TryGetValue(model, out var fallback))
        {
            return fallback;
        }

        return _aliases.TryGetValue(model, out var aliased) && _fallbacks.TryGetValue(aliased, out fallback)
            ? fallback
            : _fallbackModel;
    }

    private ModelTarget? TryResolve(string name)
    {
        var colon = name.IndexOf(':');
        if (colon > 0 && colon < name.Length - 1 && _providersByPrefix.TryGetValue(name[..colon], out var provider))
        {
            return new ModelTarget(provider, name[(colon + 1)..]);
        }

        if (_serversByModel.TryGetValue(name, out var server))
        {
            return new ModelTarget(server, name);
        }

        foreach (var (prefix, prefixServer) in _serversByModelPrefix)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return new ModelTarget(prefixServer, name);
            }
        }

        return WellKnownModels.ProviderFor(name) is { } builtIn ? new ModelTarget(builtIn, name) : null;
    }

    private static string NotConfiguredMessage(string model, string? aliased)
    {
        var subject = aliased is null
            ? $"Model '{model}' is not configured."
            : $"Model '{model}' is an alias for '{aliased}', which is not configured.";
        return subject
            + " Use a claude-* model with ANTHROPIC_API_KEY set or a gpt-*/o1/o3/o4 model with OPENAI_API_KEY set,"
            + " list it under AgentHost:Providers:Servers:<name>:Models for an OpenAI-compatible server (or ask for <name>:<model>),"
            + $" or map it to a configured model with an alias under AgentHost:Providers:Aliases (e.g. AgentHost:Providers:Aliases:{model} = claude-sonnet-4-5).";
    }
}

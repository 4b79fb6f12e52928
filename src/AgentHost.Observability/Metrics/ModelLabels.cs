using System.Collections.Concurrent;
using AgentHost.Core.Observability;

namespace AgentHost.Observability.Metrics;

/// <summary>
/// Keeps the <c>model</c> label's values to real models, so a caller inventing model names cannot grow a series per
/// name: the router's configured models and aliases, and any model that has answered a call successfully; every
/// other name is reported as <c>other</c>.
/// </summary>
internal sealed class ModelLabels(Func<IEnumerable<string>?> configuredModels)
{
    public const string Other = "other";

    private readonly ConcurrentDictionary<string, bool> _proven = new(StringComparer.OrdinalIgnoreCase);
    private HashSet<string>? _configured;

    public string For(string model, string status)
    {
        if (status == ModelCallStatuses.Ok)
        {
            _proven.TryAdd(model, true);
            return model;
        }

        return _proven.ContainsKey(model) || Configured() is not { } configured || configured.Contains(model) ? model : Other;
    }

    public string For(string model) => For(model, ModelCallStatuses.Error);

    // Read on first use: the router exists by then (the call went through it), and its list is fixed at start.
    private HashSet<string>? Configured() =>
        _configured ??= configuredModels() is { } models ? new HashSet<string>(models, StringComparer.OrdinalIgnoreCase) : null;
}

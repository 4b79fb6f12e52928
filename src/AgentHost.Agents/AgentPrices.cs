using AgentHost.Core.Domain;

namespace AgentHost.Agents;

/// <summary>The price list the runtime was given (<see cref="AgentHostEngineServices.AddAgentHostPrices"/>), by model name.</summary>
internal sealed class AgentPrices(IReadOnlyDictionary<string, ModelPrice> prices)
{
    public static AgentPrices None { get; } = new(new Dictionary<string, ModelPrice>());

    public bool Has(string model) => prices.ContainsKey(model);

    /// <summary>What <paramref name="usage"/> on <paramref name="model"/> cost, as a run cost of one call; null when the model has no price.</summary>
    public RunCost? CostOf(string model, Usage usage)
    {
        if (!prices.TryGetValue(model, out var price))
        {
            return null;
        }

        var cached = usage.PromptTokenDetails?.CachedTokens ?? 0;
        var input = Math.Max(0, usage.PromptTokens - cached) * price.InputPerMillionUsd / 1_000_000m;
        var cache = cached * (price.CachedInputPerMillionUsd ?? price.InputPerMillionUsd) / 1_000_000m;
        var output = usage.CompletionTokens * price.OutputPerMillionUsd / 1_000_000m;
        return new RunCost { TotalUsd = input + cache + output, InputUsd = input, OutputUsd = output, CacheUsd = cache, ModelCalls = 1 };
    }
}

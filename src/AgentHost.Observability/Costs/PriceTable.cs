using System.Globalization;
using AgentHost.Core.Observability;

namespace AgentHost.Observability.Costs;

/// <summary>
/// Finds the price of a model on a day and prices a call's usage. A dated snapshot or alias is priced as the
/// longest model name it starts with (<c>claude-sonnet-4-5-20250929</c> as <c>claude-sonnet-4-5</c>).
/// </summary>
public sealed class PriceTable
{
    private const decimal PerMillion = 1_000_000m;
    private readonly PricedModel[] models;

    public PriceTable(PriceTableFile file)
    {
        Version = file.Version;
        models = [.. file.Models.OrderByDescending(m => m.Model.Length)];
    }

    public string Version { get; }

    public IReadOnlyList<PricedModel> Models => models;

    public PricedModel? Find(string? model)
    {
        if (string.IsNullOrEmpty(model))
        {
            return null;
        }

        var name = model.AsSpan(model.IndexOf(':', StringComparison.Ordinal) + 1);
        foreach (var priced in models)
        {
            var length = priced.Model.Length;
            if (name.StartsWith(priced.Model, StringComparison.OrdinalIgnoreCase)
                && (name.Length == length || (name[length] == '-' && IsSnapshotSuffix(name[(length + 1)..]))))
            {
                return priced;
            }
        }

        return null;
    }

    /// <summary>The price in force on <paramref name="day"/>: the latest that took effect by then, else the earliest.</summary>
    public static ModelPrice PriceOn(PricedModel model, DateOnly day)
    {
        var inForce = model.Prices.LastOrDefault(p => Day(p.Effective) <= day);
        return inForce ?? model.Prices[0];
    }

    /// <summary>Prices <paramref name="usage"/> for <paramref name="model"/> as on <paramref name="at"/>; null when the model has no price.</summary>
    public TraceCost? Cost(string? model, TraceUsage usage, DateTimeOffset at)
    {
        if (Find(model) is not { } priced)
        {
            return null;
        }

        var price = PriceOn(priced, DateOnly.FromDateTime(at.UtcDateTime));
        var (input, cached, write, output) = Rates(price, usage.InputTokens);
        return new TraceCost
        {
            InputUsd = usage.UncachedInputTokens * input / PerMillion,
            CachedInputUsd = usage.CachedInputTokens * cached / PerMillion,
            CacheWriteUsd = usage.CacheWriteTokens * write / PerMillion,
            OutputUsd = usage.OutputTokens * output / PerMillion,
            PricedAs = $"{priced.Model}@{price.Effective}",
        };
    }

    /// <summary>Per-million rates for a call with <paramref name="inputTokens"/> of input: input, cache read, cache write, output.</summary>
    public static (decimal Input, decimal CachedInput, decimal CacheWrite, decimal Output) Rates(ModelPrice price, long inputTokens)
    {
        if (price.LongContext is { } tier && inputTokens > tier.ThresholdInputTokens)
        {
            return (tier.Input, tier.CachedInput ?? tier.Input, tier.CacheWrite ?? tier.Input, tier.Output);
        }

        return (price.Input, price.CachedInput ?? price.Input, price.CacheWrite ?? price.Input, price.Output);
    }

    private static bool IsSnapshotSuffix(ReadOnlySpan<char> suffix) =>
        suffix.Equals("latest", StringComparison.OrdinalIgnoreCase) || (suffix.Length > 0 && (char.IsDigit(suffix[0]) || suffix[0] == 'v'));

    private static DateOnly Day(string effective) => DateOnly.ParseExact(effective, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

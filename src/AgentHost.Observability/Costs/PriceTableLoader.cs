using System.Globalization;
using System.Text.Json;

namespace AgentHost.Observability.Costs;

/// <summary>
/// Loads the price table: the <c>prices.json</c> shipped inside the server, or the file
/// <c>AgentHost:Observability:PriceTable</c> names, then the per-model overrides in
/// <c>AgentHost:Observability:Prices</c> on top.
/// </summary>
public static class PriceTableLoader
{
    public static PriceTable Load(ObservabilityOptions options)
    {
        var file = options.PriceTable is { Length: > 0 } path ? ReadFile(path) : Shipped();
        if (options.Prices.Count == 0)
        {
            return new PriceTable(file);
        }

        var models = file.Models.ToDictionary(m => m.Model, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, price) in options.Prices)
        {
            if (price.Input is not { } input || price.Output is not { } output)
            {
                throw new InvalidOperationException(
                    $"AgentHost:Observability:Prices:{name} needs both Input and Output (US dollars per million tokens).");
            }

            var provider = price.Provider ?? (models.TryGetValue(name, out var known) ? known.Provider : name.StartsWith("claude", StringComparison.OrdinalIgnoreCase) ? "anthropic" : "openai");
            models[name] = new PricedModel
            {
                Model = name,
                Provider = provider,
                Prices = [new ModelPrice
                {
                    Effective = price.Effective ?? "2000-01-01",
                    Input = input,
                    Output = output,
                    CachedInput = price.CachedInput,
                    CacheWrite = price.CacheWrite,
                }],
            };
        }

        return new PriceTable(file with { Version = file.Version + "+config", Models = [.. models.Values] });
    }

    public static PriceTableFile Shipped()
    {
        using var stream = typeof(PriceTableLoader).Assembly.GetManifestResourceStream("AgentHost.Observability.Costs.prices.json")
            ?? throw new InvalidOperationException("The price table is missing from the AgentHost.Observability assembly.");
        return JsonSerializer.Deserialize(stream, PriceTableJsonContext.Default.PriceTableFile)!;
    }

    private static PriceTableFile ReadFile(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var file = JsonSerializer.Deserialize(stream, PriceTableJsonContext.Default.PriceTableFile)!;
            foreach (var model in file.Models)
            {
                _ = model.Prices.Select(p => DateOnly.ParseExact(p.Effective, "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
            }

            return file;
        }
        catch (Exception e) when (e is IOException or JsonException or FormatException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"AgentHost:Observability:PriceTable '{path}' could not be read: {e.Message}", e);
        }
    }
}

namespace AgentHost.Observability.Costs;

/// <summary>The price table as it is written in <c>prices.json</c> (US dollars per million tokens).</summary>
public sealed record PriceTableFile
{
    public required string Version { get; init; }
    public required IReadOnlyList<PricedModel> Models { get; init; }
}

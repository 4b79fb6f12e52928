namespace AgentHost.Observability.Costs;

/// <summary>A model in the price table, with its prices over time.</summary>
public sealed record PricedModel
{
    /// <summary>The model name; dated snapshots (<c>gpt-4o-2024-08-06</c>) and <c>-latest</c> match it too.</summary>
    public required string Model { get; init; }
    public required string Provider { get; init; }

    /// <summary>Prices in the order they took effect.</summary>
    public required IReadOnlyList<ModelPrice> Prices { get; init; }
}

namespace AgentHost.Observability.Costs;

/// <summary>A price set in configuration (<c>AgentHost:Observability:Prices:&lt;model&gt;</c>), US dollars per million tokens.</summary>
public sealed class ModelPriceOverride
{
    public decimal? Input { get; set; }
    public decimal? Output { get; set; }
    public decimal? CachedInput { get; set; }
    public decimal? CacheWrite { get; set; }
    public string? Provider { get; set; }
    public string? Effective { get; set; }
}

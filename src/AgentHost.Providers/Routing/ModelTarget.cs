namespace AgentHost.Providers.Routing;

/// <summary>The provider and the provider's own name for a model, after aliases and <c>name:</c> prefixes.</summary>
internal sealed record ModelTarget(string Provider, string Model)
{
    public override string ToString() => $"{Provider} model '{Model}'";
}

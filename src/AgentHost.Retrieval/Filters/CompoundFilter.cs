namespace AgentHost.Retrieval.Filters;

internal sealed record CompoundFilter(bool All, IReadOnlyList<AttributeFilter> Filters) : AttributeFilter
{
    public override bool Matches(IReadOnlyDictionary<string, object?> attributes) =>
        All ? Filters.All(f => f.Matches(attributes)) : Filters.Any(f => f.Matches(attributes));
}

namespace AgentHost.Retrieval.Filters;

/// <summary>A parsed <c>ComparisonFilter</c> or <c>CompoundFilter</c>, evaluated against a file's attributes.</summary>
internal abstract record AttributeFilter
{
    public abstract bool Matches(IReadOnlyDictionary<string, object?> attributes);
}

namespace AgentHost.Retrieval.Filters;

/// <summary>
/// One comparison. Values compare only with values of the same kind (string, number, boolean); an attribute that is
/// missing or of another kind fails every operator except <c>ne</c> and <c>nin</c>, which are the negations of
/// <c>eq</c> and <c>in</c>. Strings order ordinally, so ISO dates compare as expected.
/// </summary>
internal sealed record ComparisonFilter(string Operator, string Key, object Value) : AttributeFilter
{
    public override bool Matches(IReadOnlyDictionary<string, object?> attributes)
    {
        attributes.TryGetValue(Key, out var actual);
        return Operator switch
        {
            "eq" => AttributeValues.Compare(actual, Value) == 0,
            "ne" => AttributeValues.Compare(actual, Value) != 0,
            "gt" => AttributeValues.Compare(actual, Value) is > 0 and not int.MaxValue,
            "gte" => AttributeValues.Compare(actual, Value) is >= 0 and not int.MaxValue,
            "lt" => AttributeValues.Compare(actual, Value) < 0,
            "lte" => AttributeValues.Compare(actual, Value) <= 0,
            "in" => ((IReadOnlyList<object>)Value).Any(v => AttributeValues.Compare(actual, v) == 0),
            "nin" => !((IReadOnlyList<object>)Value).Any(v => AttributeValues.Compare(actual, v) == 0),
            _ => false,
        };
    }
}

namespace AgentHost.Server.Tests.Conformance;

/// <summary>Property paths the recording has and the live document lacks, and the reverse.</summary>
internal sealed record JsonShapeDifference(IReadOnlyList<string> Missing, IReadOnlyList<string> Extra)
{
    public bool IsEmpty => Missing.Count == 0 && Extra.Count == 0;

    public override string ToString() => IsEmpty
        ? "same property names"
        : $"""
            property names differ from the recording:
              missing: {(Missing.Count == 0 ? "-" : string.Join(", ", Missing))}
              extra:   {(Extra.Count == 0 ? "-" : string.Join(", ", Extra))}
            """;
}

namespace AgentHost.Server.Tests.Conformance;

/// <summary>
/// Compares event streams "in kind and order": how many deltas a model produces is not part of
/// the contract, so each run of consecutive identical delta events counts as one.
/// </summary>
internal static class SseEventSequence
{
    public static readonly IReadOnlySet<string> DeltaEvents =
        new HashSet<string>(StringComparer.Ordinal) { "thread.message.delta", "thread.run.step.delta" };

    /// <summary>The event names, with consecutive repeats of a delta event collapsed into one.</summary>
    public static IReadOnlyList<string> Kinds(IEnumerable<SseEvent> events) => Collapse(events.Select(e => e.Event));

    public static IReadOnlyList<string> Collapse(IEnumerable<string> eventNames)
    {
        var kinds = new List<string>();
        foreach (var name in eventNames)
        {
            if (kinds.Count > 0 && kinds[^1] == name && DeltaEvents.Contains(name))
            {
                continue;
            }

            kinds.Add(name);
        }

        return kinds;
    }

    public static void AssertSameKindAndOrder(IEnumerable<SseEvent> recorded, IEnumerable<SseEvent> live) =>
        AssertSameKindAndOrder(Kinds(recorded), Kinds(live));

    public static void AssertSameKindAndOrder(IReadOnlyList<string> recordedKinds, IReadOnlyList<string> liveKinds)
    {
        var first = Enumerable.Range(0, Math.Max(recordedKinds.Count, liveKinds.Count))
            .FirstOrDefault(i => i >= recordedKinds.Count || i >= liveKinds.Count || recordedKinds[i] != liveKinds[i], -1);
        if (first < 0)
        {
            return;
        }

        Assert.Fail($"""
            Event sequences differ at #{first}: recorded {At(recordedKinds, first)}, live {At(liveKinds, first)}.
              recorded: {string.Join(", ", recordedKinds)}
              live:     {string.Join(", ", liveKinds)}
            """);
    }

    private static string At(IReadOnlyList<string> kinds, int index) => index < kinds.Count ? kinds[index] : "(end)";
}

namespace AgentHost.Server.ManagedAgents;

/// <summary>Settings of Claude Managed Agents' sessions (<c>AgentHost:ManagedAgents</c>).</summary>
public sealed class ManagedAgentsOptions
{
    /// <summary>
    /// The share of the model's prompt budget (its context window from <c>AgentHost:Runs:ContextWindows</c> less the
    /// output reserve) a turn's history may fill before the session compacts it: the older turns are summarised by the
    /// model and the summary takes their place.
    /// </summary>
    public double CompactionThreshold { get; set; } = 0.8;

    /// <summary>A fixed history size, in tokens, that triggers compaction whatever the model; null uses <see cref="CompactionThreshold"/>.</summary>
    public int? CompactAtTokens { get; set; }
}

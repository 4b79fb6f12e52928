namespace AgentHost.Core.VectorStores;

/// <summary>How many of a store's (or batch's) files are in each status.</summary>
public sealed record FileCounts(int InProgress, int Completed, int Failed, int Cancelled, int Total)
{
    public static FileCounts None { get; } = new(0, 0, 0, 0, 0);
}

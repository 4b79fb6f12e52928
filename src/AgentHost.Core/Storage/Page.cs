namespace AgentHost.Core.Storage;

/// <summary>A page of a list, and whether more follow in the asked order.</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, bool HasMore);

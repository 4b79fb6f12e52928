using AgentHost.Core.Files;

namespace AgentHost.Storage.Contracts;

/// <summary>Opens a fresh, empty set of one implementation's stores for one test.</summary>
public interface IStoreFactory
{
    /// <summary>Why this implementation cannot run here (e.g. no PostgreSQL server), or null.</summary>
    string? Unavailable { get; }

    Task<StoreSet> OpenAsync(TimeProvider time, FileLimits limits);
}

using Xunit.Sdk;

namespace AgentHost.Storage.Contracts;

/// <summary>
/// A contract fact: run for every class deriving the contract, skipped with the factory's reason when that class's
/// store cannot run here (see <see cref="IStoreFactory.Unavailable"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("AgentHost.Storage.Contracts.StoreFactDiscoverer", "AgentHost.Storage.Contracts")]
public sealed class StoreFactAttribute : FactAttribute;

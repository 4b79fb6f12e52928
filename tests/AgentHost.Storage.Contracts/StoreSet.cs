using AgentHost.Core.Containers;
using AgentHost.Core.Conversations;
using AgentHost.Core.Files;
using AgentHost.Core.ManagedAgents;
using AgentHost.Core.Observability;
using AgentHost.Core.Retrieval;
using AgentHost.Core.Storage;
using AgentHost.Core.VectorStores;

namespace AgentHost.Storage.Contracts;

/// <summary>Every store of one implementation over one empty database; disposing it removes the database.</summary>
public sealed class StoreSet(
    IAgentStore agents,
    IFileStore files,
    IUploadStore uploads,
    IVectorStoreRepository vectorStores,
    IChunkStore chunks,
    ITraceStore traces,
    IUsageLedger ledger,
    IResponseStore responses,
    IConversationStore conversations,
    IMessageThreadStore messageThreads,
    IContainerStore containers,
    IManagedAgentStore managedAgents,
    Func<ValueTask> dispose) : IAsyncDisposable
{
    public IAgentStore Agents { get; } = agents;
    public IFileStore Files { get; } = files;
    public IUploadStore Uploads { get; } = uploads;
    public IVectorStoreRepository VectorStores { get; } = vectorStores;
    public IChunkStore Chunks { get; } = chunks;
    public ITraceStore Traces { get; } = traces;
    public IUsageLedger Ledger { get; } = ledger;
    public IResponseStore Responses { get; } = responses;
    public IConversationStore Conversations { get; } = conversations;
    public IMessageThreadStore MessageThreads { get; } = messageThreads;
    public IContainerStore Containers { get; } = containers;
    public IManagedAgentStore ManagedAgents { get; } = managedAgents;

    /// <summary>Projects and their keys (tenancy).</summary>
    public Core.Tenancy.IProjectStore Projects { get; init; } = null!;

    public ValueTask DisposeAsync() => dispose();
}

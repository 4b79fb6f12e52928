using AgentHost.Core.Retrieval;
using AgentHost.Retrieval;
using AgentHost.Retrieval.Embeddings;
using AgentHost.Retrieval.Persistence;
using AgentHost.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace AgentHost.Bench.Retrieval;

/// <summary>The retrieval engine exactly as the server builds it, over its own SQLite file.</summary>
internal sealed class RetrievalBench : IDisposable
{
    public RetrievalBench(string directory, RetrievalOptions? options = null)
    {
        Options = options ?? new RetrievalOptions();
        Directory = directory;
        Database = new SqliteDatabase(Path.Combine(directory, "agenthost.db"));
        Models = new EmbeddingModels(Microsoft.Extensions.Options.Options.Create(Options));
        Repository = new ChunkRepository(new SqliteChunkStore(Database));
        Index = new VectorStoreIndex(Repository, Models, Microsoft.Extensions.Options.Options.Create(Options));
    }

    public string Directory { get; }

    public RetrievalOptions Options { get; }

    public SqliteDatabase Database { get; }

    public EmbeddingModels Models { get; }

    public ChunkRepository Repository { get; }

    public VectorStoreIndex Index { get; }

    public void Dispose()
    {
        Models.Dispose();
        Database.Dispose();
    }
}

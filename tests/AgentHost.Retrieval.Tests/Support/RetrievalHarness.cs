using AgentHost.Core.Retrieval;
using AgentHost.Retrieval.Embeddings;
using AgentHost.Retrieval.Persistence;
using AgentHost.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace AgentHost.Retrieval.Tests.Support;

/// <summary>A real index over a temporary SQLite file and the real local embedder; <see cref="ReopenAsync"/> simulates a restart.</summary>
internal sealed class RetrievalHarness : IAsyncDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "agenthost-retrieval-" + Guid.NewGuid().ToString("N"));
    private readonly RetrievalOptions options;
    private readonly bool ownsModels;
    private SqliteDatabase database;

    /// <summary>With no options, shares one local embedder across tests (loading the ONNX model takes a second).</summary>
    public RetrievalHarness(RetrievalOptions? options = null)
    {
        ownsModels = options is not null;
        this.options = options ?? new RetrievalOptions();
        database = new SqliteDatabase(Path.Combine(directory, "agenthost.db"));
        Models = ownsModels ? new EmbeddingModels(Options.Create(this.options)) : SharedModels.Value;
        Index = Create();
    }

    private static readonly Lazy<EmbeddingModels> SharedModels = new(() => new EmbeddingModels(Options.Create(new RetrievalOptions())));

    public EmbeddingModels Models { get; }

    public IVectorStoreIndex Index { get; private set; }

    public Task<IndexedFile> AddAsync(string store, string fileId, string text, IReadOnlyDictionary<string, object?>? attributes = null,
        ChunkingStrategy? chunking = null, string? model = null) =>
        Index.IndexFileAsync(new IndexFileRequest(store, fileId, fileId + ".txt", text, chunking ?? ChunkingStrategy.Auto,
            attributes ?? new Dictionary<string, object?>(), model), CancellationToken.None);

    public Task<IReadOnlyList<SearchHit>> SearchAsync(string store, string query, int max = 10, HybridWeights? weights = null,
        string? filterJson = null, double threshold = 0) =>
        Index.SearchAsync(new SearchRequest([store], [query], max, threshold, weights,
            filterJson is null ? null : System.Text.Json.JsonDocument.Parse(filterJson).RootElement), CancellationToken.None);

    /// <summary>A fresh index and database connection over the same file: nothing in memory survives.</summary>
    public void Reopen()
    {
        database.Dispose();
        database = new SqliteDatabase(Path.Combine(directory, "agenthost.db"));
        Index = Create();
    }

    /// <summary>Runs SQL on the database, e.g. to make data look as an older version wrote it.</summary>
    public Task ExecuteAsync(string sql) => database.WriteAsync((connection, transaction) =>
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }, CancellationToken.None);

    private VectorStoreIndex Create() => new(new ChunkRepository(new SqliteChunkStore(database)), Models, Options.Create(options));

    public ValueTask DisposeAsync()
    {
        database.Dispose();
        if (ownsModels)
        {
            Models.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled reader may still hold the file on some platforms; the temp folder is harmless.
        }

        return ValueTask.CompletedTask;
    }
}

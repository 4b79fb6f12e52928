namespace AgentHost.Core.VectorStores;

/// <summary>Ingestion and file search settings (section <c>AgentHost:FileSearch</c>).</summary>
public sealed class FileSearchOptions
{
    /// <summary>
    /// Files ingested at once by this process; 0 leaves ingestion to other processes on the same data. More files than
    /// cores lets one file's text be extracted and its chunks written while others embed.
    /// </summary>
    public int IngestionConcurrency { get; set; } = 4;

    /// <summary>How often the ingestion queue is checked when nothing wakes it (files queued by another process).</summary>
    public TimeSpan IngestionPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a <c>file_search</c> call waits for its stores' files to finish ingesting before searching what is ready.</summary>
    public TimeSpan SearchWaitForIngestion { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Days of inactivity after which a thread's automatic vector store (from message attachments) expires.</summary>
    public int ThreadStoreExpiryDays { get; set; } = 7;
}

namespace AgentHost.Retrieval.Index;

/// <summary>A file of a store as the in-memory index knows it: where its chunks live and what filters see.</summary>
internal sealed class FileEntry(string fileId, string filename, IReadOnlyDictionary<string, object?> attributes)
{
    public string FileId { get; } = fileId;

    public string Filename { get; } = filename;

    public IReadOnlyDictionary<string, object?> Attributes { get; set; } = attributes;

    /// <summary>Dense number of the file within its store, so a search can mark allowed files in an array.</summary>
    public int Ordinal { get; set; }

    public List<int> Slots { get; } = [];
}

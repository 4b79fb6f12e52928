using AgentHost.Core.VectorStores;

namespace AgentHost.Ingestion;

/// <summary>Bounds on reading one file for file search (section <c>AgentHost:Ingestion</c>); a file past any of them fails with <c>last_error</c>.</summary>
public sealed class ExtractionLimits
{
    public const string SectionName = "AgentHost:Ingestion";

    /// <summary>Most characters of text taken from one file. Default 20 million (about 5 million tokens, the original's per-file limit).</summary>
    public int MaxTextChars { get; set; } = 20_000_000;

    /// <summary>Longest time spent extracting one file's text. Default two minutes.</summary>
    public TimeSpan MaxTimePerFile { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Most bytes the parts of a docx or pptx may expand to (zip bombs). Default 256 MB.</summary>
    public long MaxOfficeExpandedBytes { get; set; } = 256L * 1024 * 1024;

    internal static TextExtractionException TooMuchText(int maxChars) => new(IngestionErrorCodes.InvalidFile,
        $"The file has more than {maxChars} characters of text, the limit per file (AgentHost:Ingestion:MaxTextChars).");

    internal static TextExtractionException TooSlow(TimeSpan limit) => new(IngestionErrorCodes.InvalidFile,
        $"Extracting the file's text took longer than {limit.TotalSeconds:0.#} s, the limit per file (AgentHost:Ingestion:MaxTimePerFile).");

    internal static TextExtractionException TooLargeExpanded(long limit) => new(IngestionErrorCodes.InvalidFile,
        $"The document expands to more than {limit} bytes, the limit per file (AgentHost:Ingestion:MaxOfficeExpandedBytes); it may be a zip bomb.");
}

namespace AgentHost.Core.VectorStores;

/// <summary>Turns a file's bytes into the text that is chunked and searched (txt, md, html, json, code, pdf, docx, pptx).</summary>
public interface ITextExtractor
{
    /// <summary>
    /// The file's text. Throws <see cref="TextExtractionException"/> with <c>unsupported_file</c> for a type it does
    /// not read and <c>invalid_file</c> for a file it cannot parse or that holds no text.
    /// </summary>
    Task<string> ExtractAsync(string filename, Stream content, CancellationToken cancellationToken);
}

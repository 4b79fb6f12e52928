using System.Text;
using AgentHost.Core.VectorStores;

namespace AgentHost.Ingestion;

/// <summary>Picks the reader by the file's extension, as the original did; unknown extensions are <c>unsupported_file</c>.</summary>
public sealed class DocumentTextExtractor : ITextExtractor
{
    public async Task<string> ExtractAsync(string filename, Stream content, CancellationToken cancellationToken)
    {
        var extension = Path.GetExtension(filename).ToLowerInvariant();
        var kind = FileKinds.Of(extension)
            ?? throw new TextExtractionException(IngestionErrorCodes.UnsupportedFile,
                $"Files with extension [{(extension.Length == 0 ? "none" : extension)}] are not supported for file search. Supported: {FileKinds.Supported}.");

        // The binary readers need a seekable stream; the files are bounded by the upload limits.
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;

        string text;
        try
        {
            text = kind switch
            {
                FileKind.Pdf => PdfText.Read(buffer),
                FileKind.Docx => OfficeText.ReadDocx(buffer),
                FileKind.Pptx => OfficeText.ReadPptx(buffer),
                FileKind.Html => HtmlText.Read(Decode(buffer)),
                _ => Decode(buffer),
            };
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or TextExtractionException))
        {
            throw new TextExtractionException(IngestionErrorCodes.InvalidFile, $"The file could not be parsed as {extension}: {exception.Message}", exception);
        }

        return string.IsNullOrWhiteSpace(text)
            ? throw new TextExtractionException(IngestionErrorCodes.InvalidFile, "The file contains no text to search.")
            : text;
    }

    private static string Decode(MemoryStream buffer)
    {
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (bytes.IndexOf((byte)0) >= 0)
        {
            throw new TextExtractionException(IngestionErrorCodes.InvalidFile, "The file is binary, not text.");
        }

        // Reads UTF-8 (with or without BOM) and UTF-16 with BOM; invalid bytes become U+FFFD rather than failing.
        using var reader = new StreamReader(new MemoryStream(bytes.ToArray()), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}

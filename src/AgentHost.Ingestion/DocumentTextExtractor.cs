using System.Text;
using AgentHost.Core.VectorStores;

namespace AgentHost.Ingestion;

/// <summary>
/// Picks the reader by the file's extension, as the original did; unknown extensions are <c>unsupported_file</c>.
/// Each file is read within <see cref="ExtractionLimits"/>: text size, time, and how far an Office file may expand.
/// </summary>
public sealed class DocumentTextExtractor(ExtractionLimits limits, TimeProvider time) : ITextExtractor
{
    public async Task<string> ExtractAsync(string filename, Stream content, CancellationToken cancellationToken)
    {
        var extension = Path.GetExtension(filename).ToLowerInvariant();
        var kind = FileKinds.Of(extension)
            ?? throw new TextExtractionException(IngestionErrorCodes.UnsupportedFile,
                $"Files with extension [{(extension.Length == 0 ? "none" : extension)}] are not supported for file search. Supported: {FileKinds.Supported}.");

        using var deadline = new CancellationTokenSource(limits.MaxTimePerFile, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        await using var spooled = content.CanSeek ? null : await SpoolAsync(content, linked.Token);
        var readable = spooled ?? content;
        string text;
        try
        {
            // The readers are synchronous; they check the token between pages, paragraphs and blocks, and a reader
            // stuck inside one (a pathological PDF page) is abandoned at the deadline.
            text = await Task.Run(() => Read(kind, readable, linked.Token), linked.Token).WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw ExtractionLimits.TooSlow(limits.MaxTimePerFile);
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or TextExtractionException))
        {
            throw new TextExtractionException(IngestionErrorCodes.InvalidFile, $"The file could not be parsed as {extension}: {exception.Message}", exception);
        }

        return string.IsNullOrWhiteSpace(text)
            ? throw new TextExtractionException(IngestionErrorCodes.InvalidFile, "The file contains no text to search.")
            : text;
    }

    private string Read(FileKind kind, Stream content, CancellationToken cancellationToken) => kind switch
    {
        FileKind.Pdf => PdfText.Read(content, limits.MaxTextChars, cancellationToken),
        FileKind.Docx => OfficeText.ReadDocx(content, limits, cancellationToken),
        FileKind.Pptx => OfficeText.ReadPptx(content, limits, cancellationToken),
        FileKind.Html => HtmlText.Read(Decode(content, limits.MaxTextChars * 4L, cancellationToken), limits.MaxTextChars, cancellationToken),
        _ => Decode(content, limits.MaxTextChars, cancellationToken),
    };

    /// <summary>
    /// Reads UTF-8 (with or without BOM) or UTF-16 with BOM, block by block; invalid bytes become U+FFFD rather than
    /// failing, a NUL means the file is binary, and more than <paramref name="maxChars"/> characters fail the file.
    /// </summary>
    private static string Decode(Stream content, long maxChars, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 81920, leaveOpen: true);
        var text = new StringBuilder();
        var buffer = new char[81920];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (buffer.AsSpan(0, read).Contains('\0'))
            {
                throw new TextExtractionException(IngestionErrorCodes.InvalidFile, "The file is binary, not text.");
            }

            text.Append(buffer, 0, read);
            if (text.Length > maxChars)
            {
                throw ExtractionLimits.TooMuchText((int)Math.Min(maxChars, int.MaxValue));
            }
        }

        return text.ToString();
    }

    /// <summary>A seekable copy of a stream that is not, in a temporary file deleted when closed.</summary>
    private static async Task<Stream> SpoolAsync(Stream content, CancellationToken cancellationToken)
    {
        var copy = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await content.CopyToAsync(copy, cancellationToken);
        copy.Position = 0;
        return copy;
    }
}

using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using Drawing = DocumentFormat.OpenXml.Drawing;
using Word = DocumentFormat.OpenXml.Wordprocessing;

namespace AgentHost.Ingestion;

/// <summary>Paragraph text of Word documents and of PowerPoint slides in slide order, refusing zip bombs before opening.</summary>
internal static class OfficeText
{
    public static string ReadDocx(Stream docx, ExtractionLimits limits, CancellationToken cancellationToken)
    {
        CheckExpansion(docx, limits.MaxOfficeExpandedBytes);
        using var document = WordprocessingDocument.Open(docx, isEditable: false, Settings(limits));
        var body = document.MainDocumentPart?.Document?.Body;
        var text = new StringBuilder();
        foreach (var paragraph in body?.Descendants<Word.Paragraph>() ?? [])
        {
            cancellationToken.ThrowIfCancellationRequested();
            Append(text, paragraph.InnerText, limits.MaxTextChars).Append('\n');
        }

        return text.ToString();
    }

    public static string ReadPptx(Stream pptx, ExtractionLimits limits, CancellationToken cancellationToken)
    {
        CheckExpansion(pptx, limits.MaxOfficeExpandedBytes);
        using var document = PresentationDocument.Open(pptx, isEditable: false, Settings(limits));
        var presentation = document.PresentationPart;
        var slideIds = presentation?.Presentation?.SlideIdList?.Elements<DocumentFormat.OpenXml.Presentation.SlideId>() ?? [];
        var text = new StringBuilder();
        foreach (var slideId in slideIds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (slideId.RelationshipId?.Value is { } relationship && presentation!.GetPartById(relationship) is SlidePart slide)
            {
                foreach (var paragraph in slide.Slide?.Descendants<Drawing.Paragraph>() ?? [])
                {
                    Append(text, string.Concat(paragraph.Descendants<Drawing.Text>().Select(t => t.Text)), limits.MaxTextChars).AppendLine();
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }

    private static OpenSettings Settings(ExtractionLimits limits) => new() { MaxCharactersInPart = limits.MaxOfficeExpandedBytes };

    private static StringBuilder Append(StringBuilder text, string paragraph, int maxChars) =>
        text.Length + paragraph.Length > maxChars ? throw ExtractionLimits.TooMuchText(maxChars) : text.Append(paragraph);

    /// <summary>
    /// Sums the sizes the zip's entries say they expand to and refuses the file past the limit. .NET's zip reader
    /// stops an entry at its stated size, so an entry cannot expand beyond what it declares.
    /// </summary>
    private static void CheckExpansion(Stream package, long limit)
    {
        using (var zip = new ZipArchive(package, ZipArchiveMode.Read, leaveOpen: true))
        {
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                total += entry.Length;
                if (total > limit)
                {
                    throw ExtractionLimits.TooLargeExpanded(limit);
                }
            }
        }

        package.Position = 0;
    }
}

using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace AgentHost.Ingestion;

/// <summary>A PDF's text page by page, in reading order (PdfPig's content-order extractor keeps words apart).</summary>
internal static class PdfText
{
    public static string Read(Stream pdf, int maxChars, CancellationToken cancellationToken)
    {
        using var document = PdfDocument.Open(pdf);
        var text = new StringBuilder();
        foreach (var page in document.GetPages())
        {
            cancellationToken.ThrowIfCancellationRequested();
            text.AppendLine(ContentOrderTextExtractor.GetText(page)).AppendLine();
            if (text.Length > maxChars)
            {
                throw ExtractionLimits.TooMuchText(maxChars);
            }
        }

        return text.ToString();
    }
}

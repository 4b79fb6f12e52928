using System.Text;
using DocumentFormat.OpenXml.Packaging;
using Drawing = DocumentFormat.OpenXml.Drawing;
using Word = DocumentFormat.OpenXml.Wordprocessing;

namespace AgentHost.Ingestion;

/// <summary>Paragraph text of Word documents and of PowerPoint slides in slide order.</summary>
internal static class OfficeText
{
    public static string ReadDocx(Stream docx)
    {
        using var document = WordprocessingDocument.Open(docx, isEditable: false);
        var body = document.MainDocumentPart?.Document?.Body;
        return body is null ? string.Empty : string.Join("\n", body.Descendants<Word.Paragraph>().Select(p => p.InnerText));
    }

    public static string ReadPptx(Stream pptx)
    {
        using var document = PresentationDocument.Open(pptx, isEditable: false);
        var presentation = document.PresentationPart;
        var slideIds = presentation?.Presentation?.SlideIdList?.Elements<DocumentFormat.OpenXml.Presentation.SlideId>() ?? [];
        var text = new StringBuilder();
        foreach (var slideId in slideIds)
        {
            if (slideId.RelationshipId?.Value is { } relationship && presentation!.GetPartById(relationship) is SlidePart slide)
            {
                foreach (var paragraph in slide.Slide?.Descendants<Drawing.Paragraph>() ?? [])
                {
                    text.AppendLine(string.Concat(paragraph.Descendants<Drawing.Text>().Select(t => t.Text)));
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }
}

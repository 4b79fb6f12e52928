using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Drawing = DocumentFormat.OpenXml.Drawing;
using Pml = DocumentFormat.OpenXml.Presentation;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace AgentHost.Server.Tests.Support;

/// <summary>Real PDF, Word and PowerPoint files made in the test, so ingestion reads what a user would upload.</summary>
internal static class TestDocuments
{
    public static byte[] Pdf(params string[] lines)
    {
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var y = 780.0;
        foreach (var line in lines)
        {
            page.AddText(line, 11, new PdfPoint(40, y), font);
            y -= 16;
        }

        return builder.Build();
    }

    public static byte[] Docx(params string[] paragraphs)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new Document(new Body(paragraphs.Select(p => new Paragraph(new Run(new Text(p))))));
            main.Document.Save();
        }

        return stream.ToArray();
    }

    /// <summary>A presentation with one slide per entry, each slide a text box holding its paragraphs.</summary>
    public static byte[] Pptx(params string[][] slides)
    {
        using var stream = new MemoryStream();
        using (var document = PresentationDocument.Create(stream, PresentationDocumentType.Presentation))
        {
            var presentationPart = document.AddPresentationPart();
            var slideIds = new Pml.SlideIdList();
            uint id = 256;
            foreach (var paragraphs in slides)
            {
                var slidePart = presentationPart.AddNewPart<SlidePart>();
                slidePart.Slide = new Pml.Slide(new Pml.CommonSlideData(new Pml.ShapeTree(
                    new Pml.NonVisualGroupShapeProperties(
                        new Pml.NonVisualDrawingProperties { Id = 1, Name = string.Empty },
                        new Pml.NonVisualGroupShapeDrawingProperties(),
                        new Pml.ApplicationNonVisualDrawingProperties()),
                    new Pml.GroupShapeProperties(new Drawing.TransformGroup()),
                    new Pml.Shape(
                        new Pml.NonVisualShapeProperties(
                            new Pml.NonVisualDrawingProperties { Id = 2, Name = "Text" },
                            new Pml.NonVisualShapeDrawingProperties(),
                            new Pml.ApplicationNonVisualDrawingProperties()),
                        new Pml.ShapeProperties(),
                        new Pml.TextBody(
                            [new Drawing.BodyProperties(), new Drawing.ListStyle(), .. paragraphs.Select(p => new Drawing.Paragraph(new Drawing.Run(new Drawing.Text(p))))])))));
                slideIds.Append(new Pml.SlideId { Id = id++, RelationshipId = presentationPart.GetIdOfPart(slidePart) });
            }

            presentationPart.Presentation = new Pml.Presentation(slideIds, new Pml.SlideSize { Cx = 9144000, Cy = 6858000 }, new Pml.NotesSize { Cx = 6858000, Cy = 9144000 });
            presentationPart.Presentation.Save();
        }

        return stream.ToArray();
    }
}

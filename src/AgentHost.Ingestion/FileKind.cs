namespace AgentHost.Ingestion;

internal enum FileKind
{
    Text,
    Html,
    Pdf,
    Docx,
    Pptx,
}

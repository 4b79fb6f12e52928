namespace AgentHost.Ingestion;

/// <summary>The extensions file search reads: the original's list of text and code types, plus pdf, docx and pptx.</summary>
internal static class FileKinds
{
    private static readonly Dictionary<string, FileKind> ByExtension = new(StringComparer.Ordinal)
    {
        [".pdf"] = FileKind.Pdf,
        [".docx"] = FileKind.Docx,
        [".pptx"] = FileKind.Pptx,
        [".html"] = FileKind.Html,
        [".htm"] = FileKind.Html,
        [".txt"] = FileKind.Text,
        [".md"] = FileKind.Text,
        [".json"] = FileKind.Text,
        [".c"] = FileKind.Text,
        [".cpp"] = FileKind.Text,
        [".h"] = FileKind.Text,
        [".hpp"] = FileKind.Text,
        [".cs"] = FileKind.Text,
        [".css"] = FileKind.Text,
        [".go"] = FileKind.Text,
        [".java"] = FileKind.Text,
        [".js"] = FileKind.Text,
        [".ts"] = FileKind.Text,
        [".php"] = FileKind.Text,
        [".py"] = FileKind.Text,
        [".rb"] = FileKind.Text,
        [".rs"] = FileKind.Text,
        [".sh"] = FileKind.Text,
        [".tex"] = FileKind.Text,
        [".xml"] = FileKind.Text,
        [".yaml"] = FileKind.Text,
        [".yml"] = FileKind.Text,
        [".csv"] = FileKind.Text,
        [".sql"] = FileKind.Text,
    };

    public static string Supported { get; } = string.Join(", ", ByExtension.Keys.Order(StringComparer.Ordinal));

    public static FileKind? Of(string extension) => ByExtension.TryGetValue(extension, out var kind) ? kind : null;
}

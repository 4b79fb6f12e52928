using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentHost.Core.Tools.CodeInterpreter;

/// <summary>Finds <c>sandbox:/mnt/data/…</c> links in a message and makes <c>file_path</c> annotations of those the code wrote.</summary>
internal static partial class SandboxLinks
{
    [GeneratedRegex(@"sandbox:(/mnt/data/[^\s)\]\[""'<>]+)")]
    private static partial Regex Link();

    /// <summary>Each <c>sandbox:/mnt/data/…</c> link of <paramref name="text"/>: where it starts, its length, and the path it names.</summary>
    public static IEnumerable<(int Start, int Length, string Path)> Find(string text)
    {
        foreach (Match match in Link().Matches(text))
        {
            var path = match.Groups[1].Value.TrimEnd('.', ',', ';', ':');
            yield return (match.Index, "sandbox:".Length + path.Length, path);
        }
    }

    public static IReadOnlyList<JsonElement> Annotate(string text, Func<string, string?> fileIdOf)
    {
        var annotations = new List<JsonElement>();
        foreach (Match match in Link().Matches(text))
        {
            var path = match.Groups[1].Value.TrimEnd('.', ',', ';', ':');
            if (fileIdOf(path) is not { } fileId)
            {
                continue;
            }

            var length = "sandbox:".Length + path.Length;
            var annotation = new JsonObject
            {
                ["type"] = "file_path",
                ["text"] = text.Substring(match.Index, length),
                ["start_index"] = match.Index,
                ["end_index"] = match.Index + length,
                ["file_path"] = new JsonObject { ["file_id"] = fileId },
            };
            annotations.Add(JsonSerializer.SerializeToElement(annotation, Engine.EngineJsonContext.Default.JsonObject));
        }

        return annotations;
    }
}

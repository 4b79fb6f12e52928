using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.Server.Responses;

/// <summary>
/// The engine's annotations of a message text in the Responses shape: a <c>file_citation</c> becomes
/// <c>{type, file_id, filename, index}</c> and its marker leaves the text (the index is where it stood); other kinds pass through.
/// </summary>
internal static class ResponseAnnotations
{
    public static (string Text, JsonArray Annotations) From(string text, IReadOnlyList<JsonElement> annotations)
    {
        var result = new JsonArray();
        if (annotations.Count == 0)
        {
            return (text, result);
        }

        var citations = annotations.Where(a => a.TryGetProperty("type", out var t) && t.GetString() == "file_citation")
            .Select(a => (Start: a.GetProperty("start_index").GetInt32(), End: a.GetProperty("end_index").GetInt32(), Marker: a.GetProperty("text").GetString() ?? string.Empty,
                FileId: a.GetProperty("file_citation").GetProperty("file_id").GetString()))
            .OrderBy(c => c.Start)
            .ToList();
        var stripped = new StringBuilder(text.Length);
        var at = 0;
        foreach (var citation in citations)
        {
            if (citation.Start < at || citation.End > text.Length)
            {
                continue;
            }

            stripped.Append(text, at, citation.Start - at);
            at = citation.End;
            var dagger = citation.Marker.IndexOf('†', StringComparison.Ordinal);
            var filename = dagger >= 0 ? citation.Marker[(dagger + 1)..].TrimEnd('】') : string.Empty;
            result.Add(new JsonObject { ["type"] = "file_citation", ["file_id"] = citation.FileId, ["filename"] = filename, ["index"] = stripped.Length });
        }

        stripped.Append(text, at, text.Length - at);
        var removed = citations.Where(c => c.End <= text.Length).Select(c => (c.Start, c.End)).ToList();
        foreach (var other in annotations.Where(a => !(a.TryGetProperty("type", out var t) && t.GetString() == "file_citation")))
        {
            var node = JsonNode.Parse(other.GetRawText())!;
            if (removed.Count > 0 && node is JsonObject span && span["start_index"] is not null && span["end_index"] is not null)
            {
                // Spans of other annotations (container file citations) move left by the markers removed before them.
                span["start_index"] = Shift((int)span["start_index"]!, removed);
                span["end_index"] = Shift((int)span["end_index"]!, removed);
            }

            result.Add(node);
        }

        return (stripped.ToString(), result);
    }

    private static int Shift(int index, List<(int Start, int End)> removed) =>
        index - removed.Where(r => r.End <= index).Sum(r => r.End - r.Start);
}

using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Tools;

namespace AgentHost.Core.FileSearch;

/// <summary>
/// Turns the citation markers the model copied into its answer into <c>file_citation</c> annotations whose
/// <c>start_index</c>/<c>end_index</c> span the marker in the message text (UTF-16 code units, end exclusive), as the
/// original did. Markers that name no recorded result are left as plain text.
/// </summary>
public sealed class FileSearchCitations : IMessageContentContributor
{
    public string Type => ToolTypes.FileSearch;

    public Task<IReadOnlyList<MessageContent>> CompleteContentAsync(ThreadRun run, IReadOnlyList<RunStep> steps, IReadOnlyList<MessageContent> content,
        CancellationToken cancellationToken)
    {
        // Citations go before other annotations (e.g. the code interpreter's file paths) whichever contributor runs first.
        IReadOnlyList<MessageContent> completed = [.. content.Select(part => part.Text is { } text
            ? part with { Text = text with { Annotations = [.. Annotate(text.Value, steps), .. text.Annotations] } }
            : part)];
        return Task.FromResult(completed);
    }

    private static IReadOnlyList<JsonElement> Annotate(string text, IReadOnlyList<RunStep> steps)
    {
        var calls = CallsByNumber(steps);
        var annotations = new List<JsonElement>();
        foreach (var (call, result, fileName, start, length) in CitationMarkers.Find(text))
        {
            var hit = calls.TryGetValue(call, out var candidates)
                ? candidates.Select(c => result < c.Count ? c[result] : null).FirstOrDefault(r => r is not null && r.FileName == fileName)
                    ?? candidates.Select(c => result < c.Count ? c[result] : null).FirstOrDefault(r => r is not null)
                : null;
            if (hit is null)
            {
                continue;
            }

            var annotation = new JsonObject
            {
                ["type"] = "file_citation",
                ["text"] = text.Substring(start, length),
                ["start_index"] = start,
                ["end_index"] = start + length,
                ["file_citation"] = new JsonObject { ["file_id"] = hit.FileId },
            };
            annotations.Add(JsonSerializer.SerializeToElement(annotation, EngineJsonContext.Default.JsonObject));
        }

        return annotations;
    }

    /// <summary>The results of each call number (calls made in the same turn may share one).</summary>
    public static Dictionary<int, List<IReadOnlyList<FileSearchResult>>> CallsByNumber(IReadOnlyList<RunStep> steps)
    {
        var calls = new Dictionary<int, List<IReadOnlyList<FileSearchResult>>>();
        foreach (var search in steps.SelectMany(s => s.StepDetails.ToolCalls ?? []).Where(c => c.Type == ToolTypes.FileSearch && c.Details is not null))
        {
            var payload = JsonNode.Parse(search.Details!.Value.GetRawText());
            var number = FileSearchCall.CallNumber(payload);
            (calls.TryGetValue(number, out var list) ? list : calls[number] = []).Add(FileSearchCall.Results(payload));
        }

        return calls;
    }
}

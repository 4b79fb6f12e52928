using System.Text.Json.Nodes;
using AgentHost.Core.Errors;
using AgentHost.Core.Files;
using AgentHost.Core.VectorStores;

namespace AgentHost.Server.Responses;

/// <summary>
/// Makes the files of a response's input readable by any model before it is given the conversation: an
/// <c>input_file</c> by <c>file_id</c> (or a <c>file_data</c> document that is not a PDF) becomes its text, extracted as
/// file search extracts it (txt, md, html, json, code, pdf, docx, pptx), and an image file becomes an image. The
/// stored items are not changed.
/// </summary>
internal sealed class ResponseFiles(IFileStore files, ITextExtractor extractor)
{
    /// <summary>The most text of one file given to the model; the rest is cut with a note saying so.</summary>
    public const int MaxTextChars = 400_000;

    /// <summary>Files larger than this are not read into the prompt.</summary>
    private const long MaxFileBytes = 32L * 1024 * 1024;

    public async Task<List<JsonObject>> ResolveAsync(IReadOnlyList<JsonObject> items, CancellationToken cancellationToken)
    {
        var resolved = new List<JsonObject>(items.Count);
        foreach (var item in items)
        {
            if (item["content"] is not JsonArray parts || !parts.OfType<JsonObject>().Any(NeedsReading))
            {
                resolved.Add(item);
                continue;
            }

            var copy = item.DeepClone().AsObject();
            var content = (JsonArray)copy["content"]!;
            for (var i = 0; i < content.Count; i++)
            {
                if (content[i] is JsonObject part && NeedsReading(part))
                {
                    content[i] = await ReadAsync(part, cancellationToken);
                }
            }

            resolved.Add(copy);
        }

        return resolved;
    }

    /// <summary>
    /// Refuses an input whose <c>input_file</c> or <c>input_image</c> names a file that does not exist, as the original
    /// does (404, the Files API's message), before anything is stored. A file deleted after its response was created
    /// reaches later turns as a note instead.
    /// </summary>
    public async Task CheckFilesExistAsync(IReadOnlyList<JsonObject> input, CancellationToken cancellationToken)
    {
        for (var i = 0; i < input.Count; i++)
        {
            var parts = input[i]["content"] as JsonArray ?? [];
            for (var j = 0; j < parts.Count; j++)
            {
                if (parts[j] is JsonObject { } part && (string?)part["type"] is "input_file" or "input_image" && part["file_id"] is JsonValue value
                    && value.TryGetValue<string>(out var fileId) && await files.GetAsync(fileId, cancellationToken) is null)
                {
                    throw new ApiException(ApiErrorKind.NotFound, $"No such File object: {fileId}", $"input[{i}].content[{j}].file_id");
                }
            }
        }
    }

    private static bool NeedsReading(JsonObject part) =>
        (string?)part["type"] == "input_file"
        && ((string?)part["file_data"] is null ? (string?)part["file_id"] is not null : !IsPdfOrImage((string?)part["filename"], (string?)part["file_data"]));

    private static bool IsPdfOrImage(string? filename, string? data) =>
        data?.StartsWith("data:application/pdf", StringComparison.Ordinal) == true || data?.StartsWith("data:image/", StringComparison.Ordinal) == true
        || Path.GetExtension(filename ?? string.Empty).ToLowerInvariant() is ".pdf" or ".png" or ".jpg" or ".jpeg" or ".gif" or ".webp";

    private async Task<JsonObject> ReadAsync(JsonObject part, CancellationToken cancellationToken)
    {
        var (name, bytes, problem) = (string?)part["file_data"] is { } data ? Decode(data, (string?)part["filename"]) : await LoadAsync((string)part["file_id"]!, cancellationToken);
        if (problem is not null)
        {
            return Text($"[file {name}: {problem}]");
        }

        var imageType = Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".png" => "image/png",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".gif" => "image/gif",
            ".webp" => "image/webp",
            _ => null,
        };
        if (imageType is not null)
        {
            return new JsonObject { ["type"] = "input_image", ["image_url"] = $"data:{imageType};base64,{Convert.ToBase64String(bytes!)}", ["detail"] = "auto" };
        }

        try
        {
            using var stream = new MemoryStream(bytes!, writable: false);
            var text = await extractor.ExtractAsync(name, stream, cancellationToken);
            return Text(text.Length <= MaxTextChars
                ? $"[file {name}]\n{text}"
                : $"[file {name}, its first {MaxTextChars} characters of {text.Length}]\n{text[..MaxTextChars]}");
        }
        catch (TextExtractionException e)
        {
            return Text($"[file {name}: its content cannot be read as text ({e.Message})]");
        }
    }

    private async Task<(string Name, byte[]? Bytes, string? Problem)> LoadAsync(string fileId, CancellationToken cancellationToken)
    {
        if (await files.GetAsync(fileId, cancellationToken) is not { } file)
        {
            return (fileId, null, "no such file (it was deleted)");
        }

        if (file.Bytes > MaxFileBytes)
        {
            return (file.Filename, null, $"too large to read into the conversation ({file.Bytes} bytes; at most {MaxFileBytes})");
        }

        await using var content = await files.OpenReadAsync(fileId, cancellationToken);
        if (content is null)
        {
            return (file.Filename, null, "no such file (it was deleted)");
        }

        using var buffer = new MemoryStream((int)file.Bytes);
        await content.CopyToAsync(buffer, cancellationToken);
        return (file.Filename, buffer.ToArray(), null);
    }

    private static (string Name, byte[]? Bytes, string? Problem) Decode(string data, string? filename)
    {
        var name = filename ?? "file";
        try
        {
            var comma = data.StartsWith("data:", StringComparison.Ordinal) ? data.IndexOf(',', StringComparison.Ordinal) : -1;
            return (name, Convert.FromBase64String(comma >= 0 ? data[(comma + 1)..] : data), null);
        }
        catch (FormatException)
        {
            return (name, null, "its file_data is not base64");
        }
    }

    private static JsonObject Text(string text) => new() { ["type"] = "input_text", ["text"] = text };
}

using System.Text;
using AgentHost.Core.Files;
using ModelContextProtocol.Protocol;

namespace AgentHost.Tools.Mcp;

/// <summary>
/// Turns a <c>tools/call</c> result into what the step records and the model reads: text as text; images and audio
/// stored as files (images also shown to the model); embedded resources inlined (text) or stored (binary); resource
/// links named with their URI; <c>structuredContent</c> kept, and read by the model when there is no text; output
/// cut at <see cref="McpOptions.MaxOutputChars"/>.
/// </summary>
internal sealed class McpResultMapper(IFileStore files, McpOptions options)
{
    public async Task<McpCallRecord> MapAsync(McpCallRecord call, CallToolResult result, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var items = new List<McpContentItem>();
        var index = 0;
        foreach (var block in result.Content)
        {
            index++;
            switch (block)
            {
                case TextContentBlock part:
                    Line(text, part.Text);
                    break;
                case ImageContentBlock image:
                    items.Add(await MediaAsync(call, "image", image.DecodedData, image.MimeType, index, text, cancellationToken));
                    break;
                case AudioContentBlock audio:
                    items.Add(await MediaAsync(call, "audio", audio.DecodedData, audio.MimeType, index, text, cancellationToken) with { Data = null });
                    break;
                case EmbeddedResourceBlock { Resource: TextResourceContents resource }:
                    Line(text, $"[resource {resource.Uri}]\n{resource.Text}");
                    items.Add(new McpContentItem { Type = "resource", Uri = resource.Uri, MimeType = resource.MimeType, Text = resource.Text });
                    break;
                case EmbeddedResourceBlock { Resource: BlobResourceContents blob }:
                    var stored = await StoreAsync(call, blob.DecodedData, FileName(call, index, blob.MimeType), cancellationToken);
                    Line(text, $"[resource {blob.Uri} ({blob.MimeType ?? "binary"}), stored as file {stored.Id}]");
                    items.Add(new McpContentItem { Type = "resource", Uri = blob.Uri, MimeType = blob.MimeType, FileId = stored.Id });
                    break;
                case ResourceLinkBlock link:
                    Line(text, $"[resource link {link.Name}: {link.Uri}{(string.IsNullOrEmpty(link.Description) ? string.Empty : " — " + link.Description)}]");
                    items.Add(new McpContentItem { Type = "resource_link", Uri = link.Uri, Name = link.Name, MimeType = link.MimeType });
                    break;
                default:
                    Line(text, $"[{block.Type} content not shown]");
                    break;
            }
        }

        if (text.Length == 0 && result.StructuredContent is { } structured)
        {
            text.Append(structured.GetRawText());
        }

        return call with
        {
            Output = Cap(text.ToString()),
            IsError = result.IsError == true,
            Content = items.Count == 0 ? null : items,
            StructuredContent = result.StructuredContent?.Clone(),
        };
    }

    private async Task<McpContentItem> MediaAsync(McpCallRecord call, string type, ReadOnlyMemory<byte> bytes, string mimeType, int index, StringBuilder text,
        CancellationToken cancellationToken)
    {
        if (bytes.Length > options.MaxImageBytes)
        {
            Line(text, $"[{type} of {bytes.Length} bytes left out: over the {options.MaxImageBytes}-byte limit (AgentHost:Mcp:MaxImageBytes)]");
            return new McpContentItem { Type = type, MimeType = mimeType };
        }

        var stored = await StoreAsync(call, bytes, FileName(call, index, mimeType), cancellationToken);
        Line(text, $"[{type} {stored.Id} ({mimeType})]");
        return new McpContentItem { Type = type, MimeType = mimeType, FileId = stored.Id, Data = Convert.ToBase64String(bytes.Span) };
    }

    private async Task<StoredFile> StoreAsync(McpCallRecord call, ReadOnlyMemory<byte> bytes, string name, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        return await files.CreateAsync(name, FilePurposes.AssistantsOutput, stream, cancellationToken);
    }

    private static string FileName(McpCallRecord call, int index, string? mimeType)
    {
        var extension = mimeType?.Split('/') is [_, var subtype] ? "." + new string([.. subtype.TakeWhile(char.IsAsciiLetterOrDigit)]) : string.Empty;
        return $"{call.ServerLabel}-{call.Name}-{index}{extension}";
    }

    private string Cap(string output) => output.Length <= options.MaxOutputChars
        ? output
        : output[..options.MaxOutputChars] + $"\n[AgentHost: output cut at {options.MaxOutputChars} of {output.Length} characters (AgentHost:Mcp:MaxOutputChars)]";

    private static void Line(StringBuilder text, string line)
    {
        if (text.Length > 0)
        {
            text.Append('\n');
        }

        text.Append(line);
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentHost.Core.Domain;

/// <summary>One part of a message: <c>text</c>, <c>image_file</c>, <c>image_url</c> or <c>refusal</c>.</summary>
public sealed record MessageContent
{
    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MessageText? Text { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImageFile? ImageFile { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImageUrl? ImageUrl { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Refusal { get; init; }

    public static MessageContent FromText(string value) => new() { Type = "text", Text = new MessageText { Value = value } };
}

public sealed record MessageText
{
    public required string Value { get; init; }

    /// <summary>file_citation / file_path annotations; kept as JSON so tools can add their own kinds.</summary>
    public IReadOnlyList<JsonElement> Annotations { get; init; } = [];
}

public sealed record ImageFile
{
    public required string FileId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Detail { get; init; }
}

public sealed record ImageUrl
{
    public required string Url { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Detail { get; init; }
}

/// <summary>A file attached to a message, and the tools it is for.</summary>
public sealed record MessageAttachment
{
    public required string FileId { get; init; }
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];
}

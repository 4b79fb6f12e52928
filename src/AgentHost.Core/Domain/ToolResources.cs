using System.Text.Json.Serialization;

namespace AgentHost.Core.Domain;

/// <summary>Files and vector stores that the built-in tools of an assistant or thread work on.</summary>
public sealed record ToolResources
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CodeInterpreterResources? CodeInterpreter { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FileSearchResources? FileSearch { get; init; }
}

public sealed record CodeInterpreterResources
{
    public IReadOnlyList<string> FileIds { get; init; } = [];
}

public sealed record FileSearchResources
{
    public IReadOnlyList<string> VectorStoreIds { get; init; } = [];
}

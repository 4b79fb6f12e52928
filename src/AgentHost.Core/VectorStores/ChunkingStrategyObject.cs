using System.Text.Json.Serialization;
using AgentHost.Core.Retrieval;

namespace AgentHost.Core.VectorStores;

/// <summary>
/// A file's chunking strategy as the API shows it: <c>{"type": "static", "static": {...}}</c>. An <c>auto</c> request
/// is shown as the sizes it stands for (800/400 until the index reports what it used), as the original did.
/// </summary>
public sealed record ChunkingStrategyObject
{
    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public StaticChunking? Static { get; init; }

    public static ChunkingStrategyObject From(ChunkingStrategy strategy) => strategy.Type == "static"
        ? new() { Type = "static", Static = new StaticChunking(strategy.MaxChunkSizeTokens, strategy.ChunkOverlapTokens) }
        : new() { Type = "static", Static = new StaticChunking(800, 400) };
}

public sealed record StaticChunking(int MaxChunkSizeTokens, int ChunkOverlapTokens);

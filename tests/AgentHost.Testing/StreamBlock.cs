using System.Text.Json.Nodes;

namespace AgentHost.Testing;

/// <summary>An Anthropic content block as streamed: its <c>content_block_start</c> and its deltas.</summary>
public sealed record StreamBlock(JsonObject Start, IReadOnlyList<JsonObject> Deltas);

using System.Text.Json.Nodes;

namespace AgentHost.Providers.Tests.Upstream;

/// <summary>An Anthropic content block as streamed: its <c>content_block_start</c> and its deltas.</summary>
internal sealed record StreamBlock(JsonObject Start, IReadOnlyList<JsonObject> Deltas);

using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AgentHost.Server.ManagedAgents;

/// <summary>Source-generated JSON for the few typed values this door serializes (its objects are built as JSON nodes).</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(IDictionary<string, object?>))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
internal sealed partial class ManagedAgentsJsonContext : JsonSerializerContext;

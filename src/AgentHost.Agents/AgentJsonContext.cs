using System.Text.Json.Serialization;

namespace AgentHost.Agents;

[JsonSerializable(typeof(Dictionary<string, object?>))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;

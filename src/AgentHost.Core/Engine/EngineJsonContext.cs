using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AgentHost.Core.Engine;

[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(IDictionary<string, object?>))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;

using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AgentHost.Core.Engine;

[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(IDictionary<string, object?>))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;

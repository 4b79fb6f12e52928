using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AgentHost.Providers.Shaping;

[JsonSerializable(typeof(JsonObject))]
internal sealed partial class ShapingJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace AgentHost.Server.Compat;

[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
internal sealed partial class CompatJsonContext : JsonSerializerContext;

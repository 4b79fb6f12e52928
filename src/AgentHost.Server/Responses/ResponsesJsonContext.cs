using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AgentHost.Server.Responses;

/// <summary>Source-generated JSON for the Responses and Conversations wire objects, built as <see cref="JsonNode"/>s.</summary>
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(IDictionary<string, object?>))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ResponsesJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;
using AgentHost.Observability.Costs;
using AgentHost.Server.Http;
using AgentHost.Server.Observability.Sessions;

namespace AgentHost.Server.Observability;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunTrace))]
[JsonSerializable(typeof(UsageReport))]
[JsonSerializable(typeof(PriceTableFile))]
[JsonSerializable(typeof(SessionObject))]
[JsonSerializable(typeof(SessionTrace))]
[JsonSerializable(typeof(SessionMessageThread))]
[JsonSerializable(typeof(ListResponse<SessionObject>))]
[JsonSerializable(typeof(ListResponse<MessageThreadListItem>))]
internal sealed partial class ObservabilityJsonContext : JsonSerializerContext;

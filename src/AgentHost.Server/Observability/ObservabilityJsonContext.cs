using System.Text.Json.Serialization;
using AgentHost.Server.Observability.Costs;

namespace AgentHost.Server.Observability;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunTrace))]
[JsonSerializable(typeof(UsageReport))]
[JsonSerializable(typeof(PriceTableFile))]
internal sealed partial class ObservabilityJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace AgentHost.Core.Observability;

/// <summary>Source-generated snake_case JSON for traces, shared by the store and the HTTP surface.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TraceSpan))]
[JsonSerializable(typeof(TraceCost))]
[JsonSerializable(typeof(IReadOnlyList<UsageTotals>))]
public sealed partial class TraceJsonContext : JsonSerializerContext;

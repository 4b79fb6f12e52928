using System.Text.Json.Serialization;

namespace AgentHost.Observability.Costs;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(PriceTableFile))]
internal sealed partial class PriceTableJsonContext : JsonSerializerContext;

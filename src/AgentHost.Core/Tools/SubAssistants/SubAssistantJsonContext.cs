using System.Text.Json.Serialization;

namespace AgentHost.Core.Tools.SubAssistants;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(SubAssistantCall))]
internal sealed partial class SubAssistantJsonContext : JsonSerializerContext;

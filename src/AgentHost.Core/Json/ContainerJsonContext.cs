using System.Text.Json.Serialization;
using AgentHost.Core.Containers;

namespace AgentHost.Core.Json;

/// <summary>Source-generated snake_case JSON for containers and container files (wire and stored form alike).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(Container))]
[JsonSerializable(typeof(ContainerFile))]
[JsonSerializable(typeof(ContainerDeletionStatus))]
public sealed partial class ContainerJsonContext : JsonSerializerContext;

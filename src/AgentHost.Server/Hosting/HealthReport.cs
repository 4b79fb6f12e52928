using System.Text.Json.Serialization;

namespace AgentHost.Server.Hosting;

/// <summary>What <c>/health/live</c> and <c>/health/ready</c> answer.</summary>
internal sealed record HealthReport
{
    public required string Status { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, HealthCheck>? Checks { get; init; }
}

/// <summary>One dependency's state: <c>ok</c>, <c>failing</c> or <c>unavailable</c>, with the reason when not ok.</summary>
internal sealed record HealthCheck
{
    public required string Status { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(HealthReport))]
internal sealed partial class HealthJsonContext : JsonSerializerContext;

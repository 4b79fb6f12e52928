using System.Text.Json;
using System.Text.Json.Serialization;
using AgentHost.Core.Domain;

namespace AgentHost.Core.Json;

/// <summary>Source-generated snake_case JSON for the domain types, shared by the store and the HTTP surface.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(Assistant))]
[JsonSerializable(typeof(AssistantThread))]
[JsonSerializable(typeof(ThreadMessage))]
[JsonSerializable(typeof(ThreadRun))]
[JsonSerializable(typeof(RunStep))]
[JsonSerializable(typeof(DeletionStatus))]
[JsonSerializable(typeof(IReadOnlyList<ToolDefinition>))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class CoreJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;
using AgentHost.Core.Events;

namespace AgentHost.Storage.Postgres;

/// <summary>The engine's events as JSON, for a run's events sent to the node streaming it (<see cref="RunEventCodec"/>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(RunStatusChanged))]
[JsonSerializable(typeof(ModelCallStarted))]
[JsonSerializable(typeof(ModelCallEnded))]
[JsonSerializable(typeof(MessageStarted))]
[JsonSerializable(typeof(TextDelta))]
[JsonSerializable(typeof(MessageCompleted))]
[JsonSerializable(typeof(ReasoningDelta))]
[JsonSerializable(typeof(ReasoningCompleted))]
[JsonSerializable(typeof(StepStarted))]
[JsonSerializable(typeof(StepCompleted))]
[JsonSerializable(typeof(ToolCallStarted))]
[JsonSerializable(typeof(ToolCallArgumentsDelta))]
[JsonSerializable(typeof(ToolCallProgress))]
[JsonSerializable(typeof(ToolCallCompleted))]
[JsonSerializable(typeof(ApprovalRequested))]
[JsonSerializable(typeof(ErrorOccurred))]
internal sealed partial class RunEventJsonContext : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AgentHost.Core.Events;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// Writes an engine event as text (its kind, a newline, its JSON) and reads it back as the same record, sequence number
/// included, so a node streaming a run another node executes renders exactly what the executor published.
/// </summary>
internal static class RunEventCodec
{
    private static readonly RunEventJsonContext Json = RunEventJsonContext.Default;

    private static readonly Dictionary<string, JsonTypeInfo> ByKind = new(StringComparer.Ordinal)
    {
        [nameof(RunStatusChanged)] = Json.RunStatusChanged,
        [nameof(ModelCallStarted)] = Json.ModelCallStarted,
        [nameof(ModelCallEnded)] = Json.ModelCallEnded,
        [nameof(MessageStarted)] = Json.MessageStarted,
        [nameof(TextDelta)] = Json.TextDelta,
        [nameof(MessageCompleted)] = Json.MessageCompleted,
        [nameof(ReasoningDelta)] = Json.ReasoningDelta,
        [nameof(ReasoningCompleted)] = Json.ReasoningCompleted,
        [nameof(StepStarted)] = Json.StepStarted,
        [nameof(StepCompleted)] = Json.StepCompleted,
        [nameof(ToolCallStarted)] = Json.ToolCallStarted,
        [nameof(ToolCallArgumentsDelta)] = Json.ToolCallArgumentsDelta,
        [nameof(ToolCallProgress)] = Json.ToolCallProgress,
        [nameof(ToolCallCompleted)] = Json.ToolCallCompleted,
        [nameof(ApprovalRequested)] = Json.ApprovalRequested,
        [nameof(ErrorOccurred)] = Json.ErrorOccurred,
    };

    public static string Write(AgentEvent agentEvent)
    {
        var kind = agentEvent.GetType().Name;
        if (!ByKind.TryGetValue(kind, out var typeInfo))
        {
            throw new NotSupportedException($"The engine event {kind} has no JSON form for other nodes; add it to {nameof(RunEventJsonContext)}.");
        }

        return kind + "\n" + JsonSerializer.Serialize(agentEvent, typeInfo);
    }

    public static AgentEvent Read(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        if (newline < 0 || !ByKind.TryGetValue(text[..newline], out var typeInfo))
        {
            throw new JsonException($"Not a stored engine event: '{text[..Math.Min(text.Length, 40)]}'.");
        }

        return (AgentEvent)(JsonSerializer.Deserialize(text.AsSpan(newline + 1), typeInfo)
            ?? throw new JsonException("A stored engine event is null."));
    }
}

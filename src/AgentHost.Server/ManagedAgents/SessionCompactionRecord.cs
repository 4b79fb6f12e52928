using System.Text.Json.Nodes;
using AgentHost.Core.ManagedAgents;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// What an <c>agent.thread_context_compacted</c> event keeps beside its API fields: the summary that replaced the
/// session's history up to <see cref="ThroughSequence"/>. The API never shows it (<see cref="Public"/>); the session's
/// later turns start their history with it.
/// </summary>
internal sealed record SessionCompactionRecord(string Summary, long ThroughSequence)
{
    public const string EventType = "agent.thread_context_compacted";

    /// <summary>The event's field that holds the summary and the sequence it covers.</summary>
    private const string Field = "agenthost_compaction";

    /// <summary>The compaction <paramref name="record"/> keeps, or null when it is no compaction event or keeps none.</summary>
    public static SessionCompactionRecord? Of(SessionEventRecord record) =>
        record.Type == EventType && JsonNode.Parse(record.Data)?[Field] is JsonObject kept
            ? new SessionCompactionRecord((string?)kept["summary"] ?? string.Empty, (long?)kept["through_sequence"] ?? 0)
            : null;

    /// <summary>Puts this compaction on <paramref name="compacted"/>, an <c>agent.thread_context_compacted</c> event.</summary>
    public JsonObject AttachTo(JsonObject compacted)
    {
        compacted[Field] = new JsonObject { ["summary"] = Summary, ["through_sequence"] = ThroughSequence };
        return compacted;
    }

    /// <summary>An event's JSON as the API shows it: a compaction event without what it keeps for the session.</summary>
    public static string Public(SessionEventRecord record)
    {
        if (record.Type != EventType)
        {
            return record.Data;
        }

        var data = JsonNode.Parse(record.Data)!.AsObject();
        data.Remove(Field);
        return data.ToJsonString();
    }
}

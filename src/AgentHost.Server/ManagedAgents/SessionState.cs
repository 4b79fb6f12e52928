using System.Text.Json.Nodes;
using AgentHost.Core.ManagedAgents;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// A session as stored: its object as the API shows it (<see cref="Wire"/>, without the usage read from the ledger) and
/// what AgentHost keeps beside it: the workspace container, the turn in progress and the answers given to its pending calls.
/// </summary>
internal sealed class SessionState
{
    private SessionState(ManagedObject stored, JsonObject data)
    {
        Stored = stored;
        Wire = data["session"]!.AsObject();
        ContainerId = (string)data["container_id"]!;
        RunId = (string?)data["run_id"];
        Answers = data["answers"]?.AsObject() ?? [];
        RunSince = (long?)data["run_since"] ?? 0;
    }

    public ManagedObject Stored { get; }

    public JsonObject Wire { get; }

    public string Id => Stored.Id;

    public string Status => Stored.Status!;

    /// <summary>The container (<c>cntr_…</c>) that is the session's workspace.</summary>
    public string ContainerId { get; }

    /// <summary>The turn (engine run) in progress or waiting for answers; null when none is.</summary>
    public string? RunId { get; set; }

    /// <summary>
    /// A sequence of the session's log before the first event of the turn <see cref="RunId"/>: the turn's events are read
    /// from there, not from the start of the log.
    /// </summary>
    public long RunSince { get; set; }

    /// <summary>Answers to the turn's pending calls so far, by call id: a custom tool's output, or <c>approve</c> / <c>deny: …</c>.</summary>
    public JsonObject Answers { get; set; }

    public JsonObject Agent => Wire["agent"]!.AsObject();

    public static SessionState Of(ManagedObject stored) => new(stored, JsonNode.Parse(stored.Data)!.AsObject());

    public static ManagedObject NewObject(JsonObject wire, string containerId, long createdAtMs) => new()
    {
        Kind = ManagedObjectKinds.Session,
        Id = (string)wire["id"]!,
        CreatedAtMs = createdAtMs,
        ParentId = (string)wire["agent"]!["id"]!,
        Status = (string)wire["status"]!,
        Data = new JsonObject { ["session"] = wire, ["container_id"] = containerId, ["run_id"] = null, ["answers"] = new JsonObject() }.ToJsonString(),
    };

    /// <summary>The stored object with this state's fields and <paramref name="status"/>.</summary>
    public ManagedObject ToObject(string status, long nowMs)
    {
        Wire["status"] = status;
        Wire["updated_at"] = ManagedAgentsApi.Timestamp(nowMs);
        return Stored with
        {
            Status = status,
            Archived = Wire["archived_at"] is not null,
            Data = new JsonObject
            {
                ["session"] = Wire.DeepClone(),
                ["container_id"] = ContainerId,
                ["run_id"] = RunId,
                ["run_since"] = RunSince,
                ["answers"] = Answers.DeepClone(),
            }.ToJsonString(),
        };
    }
}

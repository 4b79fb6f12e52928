using System.Globalization;
using System.Text.Json.Nodes;
using AgentHost.Core.Errors;
using AgentHost.Core.ManagedAgents;
using AgentHost.Core.Observability;

namespace AgentHost.Server.ManagedAgents;

/// <summary>Reads and saves sessions, and renders one as the API shows it, with its usage from the usage ledger.</summary>
internal sealed class SessionRecords(IManagedAgentStore store, IUsageLedger ledger, TimeProvider time)
{
    public const string Idle = "idle";
    public const string Running = "running";
    public const string Rescheduling = "rescheduling";
    public const string Terminated = "terminated";

    public IManagedAgentStore Store => store;

    public static ApiException NotFound(string id) => new(ApiErrorKind.NotFound, $"Session '{id}' not found.", "session_id", "session_not_found");

    public async Task<SessionState> GetAsync(string id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) ?? throw NotFound(id);

    public async Task<SessionState?> FindAsync(string id, CancellationToken cancellationToken) =>
        await store.GetAsync(ManagedObjectKinds.Session, id, null, cancellationToken) is { } stored ? SessionState.Of(stored) : null;

    /// <summary>Saves the session in <paramref name="status"/> if its stored status is still <paramref name="expectedStatus"/> (any when null).</summary>
    public Task<bool> SaveAsync(SessionState session, string status, string? expectedStatus, CancellationToken cancellationToken) =>
        store.UpdateAsync(session.ToObject(status, time.GetUtcNow().ToUnixTimeMilliseconds()), expectedStatus, cancellationToken);

    /// <summary>The session object: its stored fields, its usage and list cost so far, and how long it has existed.</summary>
    public async Task<JsonObject> RenderAsync(SessionState session, CancellationToken cancellationToken)
    {
        var wire = session.Wire.DeepClone().AsObject();
        wire["resources"] = new JsonArray([.. session.Wire["resources"]!.AsArray().Select(r => (JsonNode)SessionResourceEndpoints.Render(r!))]);
        var spend = await ledger.GetSessionSpendAsync(session.Stored.Project, session.Id, cancellationToken);
        wire["usage"] = new JsonObject
        {
            ["input_tokens"] = spend.InputTokens,
            ["output_tokens"] = spend.OutputTokens,
            ["cache_read_input_tokens"] = spend.CachedInputTokens,
            ["cache_creation"] = new JsonObject { ["ephemeral_5m_input_tokens"] = spend.CacheWriteTokens },
            ["list_cost"] = spend.ModelCalls == 0 ? null : Money(spend.CostUsd),
        };
        var seconds = (time.GetUtcNow().ToUnixTimeMilliseconds() - session.Stored.CreatedAtMs) / 1000.0;
        wire["stats"] = new JsonObject { ["duration_seconds"] = Math.Round(seconds, 3) };
        return wire;
    }

    /// <summary>US dollars as the API's <c>{amount, currency}</c>, the amount in cents as a string, rounded up.</summary>
    public static JsonObject Money(decimal usd) => new()
    {
        ["amount"] = ((long)Math.Ceiling(usd * 100m)).ToString(CultureInfo.InvariantCulture),
        ["currency"] = "USD",
    };
}

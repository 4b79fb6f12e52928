using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.ManagedAgents;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// Appends events to a session's log (ids <c>sevt_…</c>, <c>processed_at</c> stamped here) and wakes the streams
/// watching it. Streams also look at the store every second, so events another node appended reach them too.
/// </summary>
internal sealed class SessionEventLog(IManagedAgentStore store, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> appended = new(StringComparer.Ordinal);

    public IManagedAgentStore Store => store;

    /// <summary>A new event of <paramref name="type"/> with its id and processing time.</summary>
    public JsonObject New(string type) => new()
    {
        ["id"] = IdGenerator.New("sevt"),
        ["type"] = type,
        ["processed_at"] = ManagedAgentsApi.Timestamp(time.GetUtcNow().ToUnixTimeMilliseconds()),
    };

    /// <summary>Appends the events in order; <c>run</c> is the turn they belong to, <c>call</c> the engine call id they concern.</summary>
    public async Task<IReadOnlyList<SessionEventRecord>> AppendAsync(string sessionId, IReadOnlyList<(JsonObject Event, string? Run, string? Call)> events,
        CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return [];
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var records = events.Select(e =>
        {
            e.Event["processed_at"] ??= ManagedAgentsApi.Timestamp(now);
            return new SessionEventRecord((string)e.Event["id"]!, (string)e.Event["type"]!, e.Run, e.Call,
                DateTimeOffset.Parse((string)e.Event["processed_at"]!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), e.Event.ToJsonString());
        }).ToList();
        var stored = await store.AppendEventsAsync(sessionId, records, cancellationToken);
        if (appended.TryRemove(sessionId, out var waiting))
        {
            waiting.TrySetResult();
        }

        return stored;
    }

    public Task<IReadOnlyList<SessionEventRecord>> AppendAsync(string sessionId, string? runId, CancellationToken cancellationToken, params JsonObject[] events) =>
        AppendAsync(sessionId, [.. events.Select(e => (e, runId, (string?)null))], cancellationToken);

    /// <summary>
    /// Completes when events may have been appended to the session after this call (or after a second, to catch other
    /// nodes' writes). Call it before reading the events it should wake for: an append between the read and the wait
    /// then still completes it.
    /// </summary>
    public Task AppendedAsync(string sessionId, CancellationToken cancellationToken) =>
        appended.GetOrAdd(sessionId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task
            .WaitAsync(TimeSpan.FromSeconds(1), time, cancellationToken)
            .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}

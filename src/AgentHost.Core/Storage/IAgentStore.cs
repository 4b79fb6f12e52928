using AgentHost.Core.Domain;

namespace AgentHost.Core.Storage;

/// <summary>
/// Durable state of assistants, threads, messages, runs and steps, and the run queue.
/// Methods named Try… enforce a rule atomically and return false when it would be broken.
/// </summary>
public interface IAgentStore
{
    Task CreateAssistantAsync(Assistant assistant, CancellationToken cancellationToken);
    Task<Assistant?> GetAssistantAsync(string id, CancellationToken cancellationToken);
    Task UpdateAssistantAsync(Assistant assistant, CancellationToken cancellationToken);
    Task<bool> DeleteAssistantAsync(string id, CancellationToken cancellationToken);
    Task<Page<Assistant>> ListAssistantsAsync(ListQuery query, CancellationToken cancellationToken);

    /// <summary>Creates a thread with its first messages in one transaction.</summary>
    Task CreateThreadAsync(AssistantThread thread, IReadOnlyList<ThreadMessage> messages, CancellationToken cancellationToken);
    Task<AssistantThread?> GetThreadAsync(string id, CancellationToken cancellationToken);
    Task UpdateThreadAsync(AssistantThread thread, CancellationToken cancellationToken);

    /// <summary>Deletes a thread with its messages, runs and steps.</summary>
    Task<bool> DeleteThreadAsync(string id, CancellationToken cancellationToken);

    /// <summary>Adds a message unless a run is active on the thread; then returns that run.</summary>
    Task<ThreadRun?> TryAddMessageAsync(ThreadMessage message, CancellationToken cancellationToken);
    Task<ThreadMessage?> GetMessageAsync(string threadId, string id, CancellationToken cancellationToken);
    Task SaveMessageAsync(ThreadMessage message, CancellationToken cancellationToken);
    Task<bool> DeleteMessageAsync(string threadId, string id, CancellationToken cancellationToken);
    Task<Page<ThreadMessage>> ListMessagesAsync(string threadId, ListQuery query, string? runId, CancellationToken cancellationToken);

    /// <summary>All messages of a thread, oldest first, as a run reads them.</summary>
    Task<IReadOnlyList<ThreadMessage>> GetThreadMessagesAsync(string threadId, CancellationToken cancellationToken);

    /// <summary>
    /// A page of a thread's history for a run: the messages of <paramref name="threadId"/> that <paramref name="runId"/> did
    /// not write, newest first, older than <paramref name="before"/> (a <see cref="HistoryMessage.Cursor"/> of the previous
    /// page; null for the newest), at most <paramref name="limit"/>. A run reads pages until its prompt is full, so a long
    /// thread costs what the prompt can hold, not its length.
    /// </summary>
    async Task<IReadOnlyList<HistoryMessage>> ReadThreadHistoryAsync(string threadId, string runId, long? before, int limit, CancellationToken cancellationToken)
    {
        var all = await GetThreadMessagesAsync(threadId, cancellationToken);
        var page = new List<HistoryMessage>(Math.Min(limit, all.Count));
        for (var i = (int)Math.Min(before ?? all.Count, all.Count) - 1; i >= 0 && page.Count < limit; i--)
        {
            if (all[i].RunId != runId)
            {
                page.Add(new HistoryMessage(all[i], i, null, null));
            }
        }

        return page;
    }

    /// <summary>
    /// The distinct ids of the files attached to <paramref name="threadId"/>'s messages for <paramref name="toolType"/>
    /// (<c>file_search</c>, <c>code_interpreter</c>), in the order they were first attached: oldest message first, then
    /// the message's attachments in order. Stores keep an index of attachments written with the messages, so a run's
    /// tools read what is attached, not the whole thread.
    /// </summary>
    async Task<IReadOnlyList<string>> GetThreadAttachmentsAsync(string threadId, string toolType, CancellationToken cancellationToken) =>
        MessageAttachmentRow.FileIdsOf(await GetThreadMessagesAsync(threadId, cancellationToken), toolType);

    /// <summary>The messages <paramref name="runId"/> wrote on <paramref name="threadId"/>, oldest first.</summary>
    async Task<IReadOnlyList<ThreadMessage>> GetRunMessagesAsync(string threadId, string runId, CancellationToken cancellationToken) =>
        [.. (await GetThreadMessagesAsync(threadId, cancellationToken)).Where(m => m.RunId == runId)];

    /// <summary>
    /// Creates a queued run (and a new thread and messages, when given) unless a run is active on the thread;
    /// then returns that active run and writes nothing.
    /// </summary>
    Task<ThreadRun?> TryCreateRunAsync(ThreadRun run, AssistantThread? newThread, IReadOnlyList<ThreadMessage> messages, CancellationToken cancellationToken);
    Task<ThreadRun?> GetRunAsync(string threadId, string id, CancellationToken cancellationToken);
    Task<Page<ThreadRun>> ListRunsAsync(string threadId, ListQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a run only if its stored status is still <paramref name="expectedStatus"/>; false when another writer got
    /// there first. A run saved in a status with nothing left for a worker (<see cref="RunStatus.IsIdle"/>) loses its
    /// lease in the same write, so the worker that ended or paused it has no lease to release.
    /// </summary>
    Task<bool> TryUpdateRunAsync(ThreadRun run, string expectedStatus, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a run and one of its steps in one transaction, only if the run's stored status is still
    /// <paramref name="expectedStatus"/>: a worker that picks the run up sees the step as saved with it.
    /// </summary>
    Task<bool> TryUpdateRunWithStepAsync(ThreadRun run, string expectedStatus, RunStep step, CancellationToken cancellationToken);

    Task SaveStepAsync(RunStep step, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a run's message and the step that wrote it (whatever the run's status), then the run as
    /// <see cref="TryUpdateRunAsync"/> does, in one transaction where the store has them: a run's last message is
    /// written with its end.
    /// </summary>
    async Task<bool> TryUpdateRunAfterMessageAsync(ThreadRun run, string expectedStatus, ThreadMessage message, RunStep step, CancellationToken cancellationToken)
    {
        await SaveMessageWithStepAsync(message, step, cancellationToken);
        return await TryUpdateRunAsync(run, expectedStatus, cancellationToken);
    }

    /// <summary>Saves a run's message and the step that writes it in one transaction: no reader sees one without the other.</summary>
    async Task SaveMessageWithStepAsync(ThreadMessage message, RunStep step, CancellationToken cancellationToken)
    {
        await SaveStepAsync(step, cancellationToken);
        await SaveMessageAsync(message, cancellationToken);
    }
    Task<RunStep?> GetStepAsync(string threadId, string runId, string id, CancellationToken cancellationToken);
    Task<Page<RunStep>> ListStepsAsync(string threadId, string runId, ListQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes steps and messages a run was writing when it was interrupted, so it can start that step again.</summary>
    Task DiscardUnfinishedWorkAsync(string runId, CancellationToken cancellationToken);

    /// <summary>
    /// Leases the run for <paramref name="owner"/> until <paramref name="leaseUntil"/> if it is queued, in progress
    /// or cancelling and nobody else holds a live lease. Returns the run with its project, or null.
    /// </summary>
    Task<LeasedRun?> TryLeaseRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="TryLeaseRunAsync"/>, and a queued run moves to in_progress, started at <paramref name="startedAt"/>, in
    /// the same transaction where the store has them (<see cref="LeasedRun.Started"/>); a run in another status is
    /// leased as it is.
    /// </summary>
    async Task<LeasedRun?> TryLeaseAndStartRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, long startedAt, CancellationToken cancellationToken)
    {
        var lease = await TryLeaseRunAsync(runId, owner, now, leaseUntil, cancellationToken);
        if (lease is not { Run.Status: RunStatus.Queued })
        {
            return lease;
        }

        var started = lease.Run with { Status = RunStatus.InProgress, StartedAt = startedAt };
        return await TryUpdateRunAsync(started, RunStatus.Queued, cancellationToken) ? lease with { Run = started, Started = true } : lease;
    }

    /// <summary>
    /// Ids of runs a worker should pick up, oldest first: in progress or cancelling with no live lease, and queued with
    /// none if created before <paramref name="queuedBefore"/> (a newer queued run is left to the node that accepted it,
    /// which may be streaming it to its client).
    /// </summary>
    Task<IReadOnlyList<string>> FindRunsToResumeAsync(DateTimeOffset now, DateTimeOffset queuedBefore, int max, CancellationToken cancellationToken);

    /// <summary>
    /// Extends the leases <paramref name="owner"/> holds and returns the ids of their runs; a run missing from them was
    /// taken by another owner after its lease lapsed, so <paramref name="owner"/> must stop working on it.
    /// </summary>
    Task<IReadOnlyList<string>> RenewLeasesAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Gives up <paramref name="owner"/>'s lease on the run; a lease another owner has taken meanwhile is kept.</summary>
    Task ReleaseLeaseAsync(string runId, string owner, CancellationToken cancellationToken);

    /// <summary>Runs in <c>requires_action</c> whose <c>expires_at</c> has passed.</summary>
    Task<IReadOnlyList<ThreadRun>> FindExpiredRunsAsync(long nowUnixSeconds, CancellationToken cancellationToken);
}

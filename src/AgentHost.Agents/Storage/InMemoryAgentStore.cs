using AgentHost.Core.Domain;
using AgentHost.Core.Storage;

namespace AgentHost.Agents.Storage;

/// <summary>
/// An <see cref="IAgentStore"/> in process memory, with the SQLite store's rules (one active run per thread, status
/// compare-and-set, leases); everything is lost when the process ends. For tests and short-lived agents.
/// </summary>
internal sealed class InMemoryAgentStore : IAgentStore
{
    private static readonly string[] ActiveStatuses = [RunStatus.Queued, RunStatus.InProgress, RunStatus.RequiresAction, RunStatus.Cancelling];
    private static readonly string[] ResumableStatuses = [RunStatus.Queued, RunStatus.InProgress, RunStatus.Cancelling];

    private readonly Lock gate = new();
    private readonly InMemoryTable<Assistant> assistants = new();
    private readonly InMemoryTable<AssistantThread> threads = new();
    private readonly InMemoryTable<ThreadMessage> messages = new();
    private readonly InMemoryTable<ThreadRun> runs = new();
    private readonly InMemoryTable<RunStep> steps = new();
    private readonly Dictionary<string, (string Owner, DateTimeOffset Until)> leases = new(StringComparer.Ordinal);

    public Task CreateAssistantAsync(Assistant assistant, CancellationToken cancellationToken) => Locked(() => assistants.Upsert(assistant.Id, assistant));

    public Task<Assistant?> GetAssistantAsync(string id, CancellationToken cancellationToken) => Locked(() => assistants.Get(id));

    public Task UpdateAssistantAsync(Assistant assistant, CancellationToken cancellationToken) => Locked(() => assistants.Upsert(assistant.Id, assistant));

    public Task<bool> DeleteAssistantAsync(string id, CancellationToken cancellationToken) => Locked(() => assistants.Remove(id));

    public Task<Page<Assistant>> ListAssistantsAsync(ListQuery query, CancellationToken cancellationToken) => Locked(() => assistants.List(_ => true, query));

    public Task CreateThreadAsync(AssistantThread thread, IReadOnlyList<ThreadMessage> firstMessages, CancellationToken cancellationToken) => Locked(() =>
    {
        threads.Upsert(thread.Id, thread);
        foreach (var message in firstMessages)
        {
            messages.Upsert(message.Id, message);
        }
    });

    public Task<AssistantThread?> GetThreadAsync(string id, CancellationToken cancellationToken) => Locked(() => threads.Get(id));

    public Task UpdateThreadAsync(AssistantThread thread, CancellationToken cancellationToken) => Locked(() => threads.Upsert(thread.Id, thread));

    public Task<bool> DeleteThreadAsync(string id, CancellationToken cancellationToken) => Locked(() =>
    {
        steps.RemoveWhere(s => s.ThreadId == id);
        foreach (var run in runs.Where(r => r.ThreadId == id))
        {
            leases.Remove(run.Id);
        }

        runs.RemoveWhere(r => r.ThreadId == id);
        messages.RemoveWhere(m => m.ThreadId == id);
        return threads.Remove(id);
    });

    public Task<ThreadRun?> TryAddMessageAsync(ThreadMessage message, CancellationToken cancellationToken) => Locked(() =>
    {
        var active = ActiveRun(message.ThreadId);
        if (active is null)
        {
            messages.Upsert(message.Id, message);
        }

        return active;
    });

    public Task<ThreadMessage?> GetMessageAsync(string threadId, string id, CancellationToken cancellationToken) =>
        Locked(() => messages.Get(id) is { } m && m.ThreadId == threadId ? m : null);

    public Task SaveMessageAsync(ThreadMessage message, CancellationToken cancellationToken) => Locked(() => messages.Upsert(message.Id, message));

    public Task<bool> DeleteMessageAsync(string threadId, string id, CancellationToken cancellationToken) =>
        Locked(() => messages.Get(id) is { } m && m.ThreadId == threadId && messages.Remove(id));

    public Task<Page<ThreadMessage>> ListMessagesAsync(string threadId, ListQuery query, string? runId, CancellationToken cancellationToken) =>
        Locked(() => messages.List(m => m.ThreadId == threadId && (runId is null || m.RunId == runId), query));

    public Task<IReadOnlyList<ThreadMessage>> GetThreadMessagesAsync(string threadId, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<ThreadMessage>>(() => messages.Where(m => m.ThreadId == threadId));

    public Task<ThreadRun?> TryCreateRunAsync(ThreadRun run, AssistantThread? newThread, IReadOnlyList<ThreadMessage> firstMessages, CancellationToken cancellationToken) => Locked(() =>
    {
        if (newThread is not null)
        {
            threads.Upsert(newThread.Id, newThread);
        }
        else if (ActiveRun(run.ThreadId) is { } active)
        {
            return active;
        }

        foreach (var message in firstMessages)
        {
            messages.Upsert(message.Id, message);
        }

        runs.Upsert(run.Id, run);
        return null;
    });

    public Task<ThreadRun?> GetRunAsync(string threadId, string id, CancellationToken cancellationToken) =>
        Locked(() => runs.Get(id) is { } r && r.ThreadId == threadId ? r : null);

    public Task<Page<ThreadRun>> ListRunsAsync(string threadId, ListQuery query, CancellationToken cancellationToken) =>
        Locked(() => runs.List(r => r.ThreadId == threadId, query));

    public Task<bool> TryUpdateRunAsync(ThreadRun run, string expectedStatus, CancellationToken cancellationToken) => Locked(() =>
    {
        if (runs.Get(run.Id) is not { } stored || stored.Status != expectedStatus)
        {
            return false;
        }

        runs.Upsert(run.Id, run);
        if (RunStatus.IsIdle(run.Status))
        {
            leases.Remove(run.Id);
        }

        return true;
    });

    public Task<bool> TryUpdateRunWithStepAsync(ThreadRun run, string expectedStatus, RunStep step, CancellationToken cancellationToken) => Locked(() =>
    {
        if (runs.Get(run.Id) is not { } stored || stored.Status != expectedStatus)
        {
            return false;
        }

        runs.Upsert(run.Id, run);
        steps.Upsert(step.Id, step);
        if (RunStatus.IsIdle(run.Status))
        {
            leases.Remove(run.Id);
        }

        return true;
    });

    public Task SaveStepAsync(RunStep step, CancellationToken cancellationToken) => Locked(() => steps.Upsert(step.Id, step));

    public Task SaveMessageWithStepAsync(ThreadMessage message, RunStep step, CancellationToken cancellationToken) => Locked(() =>
    {
        steps.Upsert(step.Id, step);
        messages.Upsert(message.Id, message);
    });

    public Task<RunStep?> GetStepAsync(string threadId, string runId, string id, CancellationToken cancellationToken) =>
        Locked(() => steps.Get(id) is { } s && s.ThreadId == threadId && s.RunId == runId ? s : null);

    public Task<Page<RunStep>> ListStepsAsync(string threadId, string runId, ListQuery query, CancellationToken cancellationToken) =>
        Locked(() => steps.List(s => s.ThreadId == threadId && s.RunId == runId, query));

    public Task DiscardUnfinishedWorkAsync(string runId, CancellationToken cancellationToken) => Locked(() =>
    {
        messages.RemoveWhere(m => m.RunId == runId && m.Status == MessageStatus.InProgress);
        steps.RemoveWhere(s => s.RunId == runId && s.Status == StepStatus.InProgress);
    });

    public Task<LeasedRun?> TryLeaseRunAsync(string runId, string owner, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) => Locked<LeasedRun?>(() =>
    {
        if (runs.Get(runId) is not { } run || !ResumableStatuses.Contains(run.Status)
            || (leases.TryGetValue(runId, out var lease) && lease.Until >= now && lease.Owner != owner))
        {
            return null;
        }

        leases[runId] = (owner, leaseUntil);
        return new LeasedRun(run, Projects.Default);
    });

    public Task<IReadOnlyList<string>> FindRunsToResumeAsync(DateTimeOffset now, DateTimeOffset queuedBefore, int max, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<string>>(() => [.. runs.Where(r => ResumableStatuses.Contains(r.Status) && !(leases.TryGetValue(r.Id, out var l) && l.Until >= now)
            && (r.Status != RunStatus.Queued || r.CreatedAt < queuedBefore.ToUnixTimeSeconds())).Take(max).Select(r => r.Id)]);

    public Task<IReadOnlyList<string>> RenewLeasesAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken) => Locked<IReadOnlyList<string>>(() =>
    {
        var held = leases.Where(l => l.Value.Owner == owner).Select(l => l.Key).ToList();
        foreach (var runId in held)
        {
            leases[runId] = (owner, leaseUntil);
        }

        return held;
    });

    public Task ReleaseLeaseAsync(string runId, string owner, CancellationToken cancellationToken) => Locked(() =>
    {
        if (leases.TryGetValue(runId, out var lease) && lease.Owner == owner)
        {
            leases.Remove(runId);
        }
    });

    public Task<IReadOnlyList<ThreadRun>> FindExpiredRunsAsync(long nowUnixSeconds, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<ThreadRun>>(() => runs.Where(r => r.Status == RunStatus.RequiresAction && r.ExpiresAt <= nowUnixSeconds));

    private ThreadRun? ActiveRun(string threadId) => runs.Where(r => r.ThreadId == threadId && ActiveStatuses.Contains(r.Status)).FirstOrDefault();

    private Task<T> Locked<T>(Func<T> work)
    {
        lock (gate)
        {
            return Task.FromResult(work());
        }
    }

    private Task Locked(Action work)
    {
        lock (gate)
        {
            work();
        }

        return Task.CompletedTask;
    }
}

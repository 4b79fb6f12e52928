using System.Runtime.CompilerServices;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Events;
using AgentHost.Core.Storage;

namespace AgentHost.Agents;

/// <summary>
/// A durable conversation of one agent. Every message, step and run is saved as it happens, so a session can be resumed
/// by its <see cref="Id"/> in another process, and forked at any message. One turn runs at a time.
/// </summary>
public sealed class AgentSession
{
    private readonly AgentRuntime runtime;
    private readonly string assistantId;
    private readonly SemaphoreSlim oneTurn = new(1, 1);
    private ThreadRun? paused;
    private IReadOnlyDictionary<string, ToolResult> pausedResults = new Dictionary<string, ToolResult>();

    internal AgentSession(AgentRuntime runtime, Agent agent, string id, string assistantId, AgentTurn? parentTurn = null)
    {
        this.runtime = runtime;
        this.assistantId = assistantId;
        Agent = agent;
        Id = id;
        ParentTurn = parentTurn;
        Policy = parentTurn is null ? new AgentPolicy([agent]) : parentTurn.Session.Policy.Then(agent);
        Depth = parentTurn is null ? 0 : parentTurn.Session.Depth + 1;
    }

    /// <summary>The parent's turn this session runs a sub-agent call of; null for a session of its own.</summary>
    internal AgentTurn? ParentTurn { get; }

    /// <summary>0 for a session of its own, 1 for a sub-agent's session, ….</summary>
    internal int Depth { get; }

    /// <summary>The permissions and hooks deciding this session's calls: its parents' first, then its agent's.</summary>
    internal AgentPolicy Policy { get; }

    internal AgentRuntime Runtime => runtime;

    /// <summary>True while a turn waits for decisions (<see cref="ContinueAsync"/>).</summary>
    internal bool IsPaused => paused is not null;

    /// <summary>The session's id (its thread's id, <c>thread_…</c>), to resume it with <see cref="AgentRuntime.ResumeSessionAsync"/>.</summary>
    public string Id { get; }

    /// <summary>The agent the session runs.</summary>
    public Agent Agent { get; }

    /// <summary>The function calls the paused turn waits on (empty unless a call was asked with no callback to answer).</summary>
    public IReadOnlyList<ToolCallRequest> PendingDecisions { get; private set; } = [];

    /// <summary>
    /// Adds <paramref name="userMessage"/> and runs the agent until it answers, pauses for a decision, or hits a limit,
    /// yielding what happens as typed events. The last event is the run's final (or paused) <see cref="RunStatusChanged"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A turn is paused for decisions; answer it with <see cref="ContinueAsync"/>.</exception>
    public async IAsyncEnumerable<AgentEvent> RunAsync(string userMessage, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userMessage);
        await oneTurn.WaitAsync(cancellationToken);
        try
        {
            if (paused is not null)
            {
                throw new InvalidOperationException($"Session {Id} is paused waiting for decisions on {PendingDecisions.Count} tool call(s); call ContinueAsync first.");
            }

            var engine = runtime.Engine;
            if (Depth == 0)
            {
                AgentTools.CheckTree(Agent, engine.Prices);
            }

            var request = new RunRequest
            {
                AssistantId = assistantId,
                Model = Agent.Model,
                Instructions = Agent.Instructions,
                Tools = AgentTools.DefinitionsOf(Agent),
                Temperature = Agent.Temperature,
                MaxPromptTokens = Agent.Limits.MaxPromptTokens,
                MaxCompletionTokens = Agent.Limits.MaxCompletionTokens,
                AdditionalMessages = [new NewMessage(MessageRoles.User, [MessageContent.FromText(userMessage)], [], null)],
            };
            var runId = IdGenerator.Run();
            using var subscription = engine.Hub.Subscribe(runId);
            if (ParentTurn?.RunId is { } parentRunId)
            {
                engine.Costs.Link(runId, parentRunId);
            }

            var run = await engine.Runs.CreateRunAsync(Id, request, runId, cancellationToken);
            await foreach (var agentEvent in new AgentTurn(engine, this, subscription).DriveAsync(run, new Dictionary<string, ToolCallDecision>(), new Dictionary<string, ToolResult>(), cancellationToken))
            {
                yield return agentEvent;
            }
        }
        finally
        {
            oneTurn.Release();
        }
    }

    /// <summary>Answers the calls of a paused turn (by call id) and runs on; calls left unanswered are asked again.</summary>
    public async IAsyncEnumerable<AgentEvent> ContinueAsync(IReadOnlyDictionary<string, ToolCallDecision> decisions, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        await oneTurn.WaitAsync(cancellationToken);
        try
        {
            var run = paused ?? throw new InvalidOperationException($"Session {Id} has no paused turn.");
            var unknown = decisions.Keys.Where(k => PendingDecisions.All(p => p.CallId != k)).ToList();
            if (unknown.Count > 0)
            {
                throw new ArgumentException($"No pending call of session {Id} has the id '{unknown[0]}'.", nameof(decisions));
            }

            var results = pausedResults;
            paused = null;
            PendingDecisions = [];
            pausedResults = new Dictionary<string, ToolResult>();
            using var subscription = runtime.Engine.Hub.Subscribe(run.Id);
            await foreach (var agentEvent in new AgentTurn(runtime.Engine, this, subscription).DriveAsync(run, decisions, results, cancellationToken))
            {
                yield return agentEvent;
            }
        }
        finally
        {
            oneTurn.Release();
        }
    }

    /// <summary>The session's messages, oldest first.</summary>
    public Task<IReadOnlyList<ThreadMessage>> GetMessagesAsync(CancellationToken cancellationToken = default) =>
        runtime.Engine.Store.GetThreadMessagesAsync(Id, cancellationToken);

    internal void Pause(ThreadRun run, IReadOnlyList<ToolCallRequest> pending, IReadOnlyDictionary<string, ToolResult> results)
    {
        paused = run;
        PendingDecisions = pending;
        pausedResults = results;
    }

    /// <summary>After a restart: a turn left waiting for decisions waits again, for every call it paused on.</summary>
    internal async Task RestorePendingAsync(CancellationToken cancellationToken)
    {
        var latest = await runtime.Engine.Store.ListRunsAsync(Id, new ListQuery { Limit = 1 }, cancellationToken);
        if (latest.Data is [{ Status: RunStatus.RequiresAction, RequiredAction: { } action } run])
        {
            Pause(run, [.. action.SubmitToolOutputs.ToolCalls.Select(c => new ToolCallRequest(Id, run.Id, c.Id, c.Function.Name, c.Function.Arguments) { AgentName = Agent.Name })], new Dictionary<string, ToolResult>());
        }
    }
}

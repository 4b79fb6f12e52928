using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Errors;
using AgentHost.Core.Storage;

namespace AgentHost.Agents;

/// <summary>Creates, resumes and forks <see cref="AgentSession"/>s over the registered engine and store.</summary>
public sealed class AgentRuntime
{
    internal const string AssistantIdKey = "agenthost_assistant_id";
    internal const string AgentNameKey = "agenthost_agent";

    private readonly IAgentStore store;

    /// <summary>Built by dependency injection (<see cref="AgentHostEngineServices.AddAgentHostEngine"/>).</summary>
    internal AgentRuntime(AgentEngine engine)
    {
        store = engine.Store;
        Engine = engine;
    }

    internal AgentEngine Engine { get; }

    /// <summary>Starts a new, empty session of <paramref name="agent"/>; it is saved at once and can be resumed by its id.</summary>
    public async Task<AgentSession> CreateSessionAsync(Agent agent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var assistant = await SaveAssistantAsync(agent, cancellationToken);
        var thread = Engine.Runs.NewThreadOf(new NewThread([], null, new Dictionary<string, string> { [AssistantIdKey] = assistant.Id, [AgentNameKey] = Trim(agent.Name) }));
        await store.CreateThreadAsync(thread, [], cancellationToken);
        return new AgentSession(this, agent, thread.Id, assistant.Id);
    }

    /// <summary>Reopens the saved session <paramref name="sessionId"/> to go on with <paramref name="agent"/>.</summary>
    /// <exception cref="ApiException">No session has that id.</exception>
    public async Task<AgentSession> ResumeSessionAsync(Agent agent, string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var thread = await store.GetThreadAsync(sessionId, cancellationToken) ?? throw ApiException.NotFound("session", sessionId);
        var assistantId = thread.Metadata.TryGetValue(AssistantIdKey, out var id) ? id : (await SaveAssistantAsync(agent, cancellationToken)).Id;
        var session = new AgentSession(this, agent, thread.Id, assistantId);
        await session.RestorePendingAsync(cancellationToken);
        return session;
    }

    /// <summary>
    /// A new session whose history is <paramref name="sessionId"/>'s messages up to and including <paramref name="atMessageId"/>;
    /// the original is left as it is. The fork goes on with <paramref name="agent"/>.
    /// </summary>
    public async Task<AgentSession> ForkSessionAsync(Agent agent, string sessionId, string atMessageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        _ = await store.GetThreadAsync(sessionId, cancellationToken) ?? throw ApiException.NotFound("session", sessionId);
        var history = await store.GetThreadMessagesAsync(sessionId, cancellationToken);
        var cut = history.ToList().FindIndex(m => m.Id == atMessageId);
        if (cut < 0)
        {
            throw ApiException.NotFound("message", atMessageId);
        }

        var assistant = await SaveAssistantAsync(agent, cancellationToken);
        var thread = Engine.Runs.NewThreadOf(new NewThread([], null, new Dictionary<string, string>
        {
            [AssistantIdKey] = assistant.Id, [AgentNameKey] = Trim(agent.Name), ["agenthost_forked_from"] = sessionId,
        }));
        var copies = history.Take(cut + 1).Select(m => m with { Id = IdGenerator.Message(), ThreadId = thread.Id, RunId = null }).ToList();
        await store.CreateThreadAsync(thread, copies, cancellationToken);
        return new AgentSession(this, agent, thread.Id, assistant.Id);
    }

    /// <summary>
    /// The child session a sub-agent call runs in: a new thread linked to the parent's session, run and call, deciding
    /// its calls with the parent's rules before its own.
    /// </summary>
    internal async Task<AgentSession> CreateChildSessionAsync(Agent agent, AgentTurn parent, string callId, CancellationToken cancellationToken)
    {
        var assistant = await SaveAssistantAsync(agent, cancellationToken);
        var thread = Engine.Runs.NewThreadOf(new NewThread([], null, new Dictionary<string, string>
        {
            [AssistantIdKey] = assistant.Id, [AgentNameKey] = Trim(agent.Name),
            [ParentSessionKey] = parent.Session.Id, [ParentRunKey] = parent.RunId ?? string.Empty, [ParentCallKey] = callId,
        }));
        await store.CreateThreadAsync(thread, [], cancellationToken);
        return new AgentSession(this, agent, thread.Id, assistant.Id, parent);
    }

    internal const string ParentSessionKey = "agenthost_parent_session";
    internal const string ParentRunKey = "agenthost_parent_run";
    internal const string ParentCallKey = "agenthost_parent_call";

    private async Task<Assistant> SaveAssistantAsync(Agent agent, CancellationToken cancellationToken)
    {
        var assistant = new Assistant
        {
            Id = IdGenerator.Assistant(),
            CreatedAt = Engine.Time.GetUtcNow().ToUnixTimeSeconds(),
            Name = Trim(agent.Name),
            Model = agent.Model,
            Instructions = agent.Instructions,
            Tools = AgentTools.DefinitionsOf(agent),
            Temperature = agent.Temperature,
        };
        await store.CreateAssistantAsync(assistant, cancellationToken);
        return assistant;
    }

    private static string Trim(string name) => name.Length <= 256 ? name : name[..256];
}

namespace AgentHost.Core.Domain;

/// <summary>
/// How a run started by a front door other than an Assistants thread behaves (a Responses response, later an agent
/// session's turn). Null on Assistants runs, whose wire shape it is therefore never part of.
/// </summary>
public sealed record RunProfile
{
    /// <summary>
    /// The front door (one of <c>ModelCallEntryPoints</c>): it names the <c>IRunHistory</c> that supplies the
    /// conversation the run continues, and the entry point its model calls are attributed to.
    /// </summary>
    public required string EntryPoint { get; init; }

    /// <summary>
    /// Client-run tool calls (and approvals) end the run <c>completed</c>, with the calls as its output, instead of
    /// pausing it in <c>requires_action</c>: the caller answers them in the next run of the conversation.
    /// </summary>
    public bool EndsAtClientToolCalls { get; init; }

    /// <summary>At most this many calls of tools the engine runs itself; a turn that asks for more ends the run incomplete.</summary>
    public int? MaxToolCalls { get; init; }

    /// <summary>When the conversation does not fit the model's window, fail the run instead of dropping its oldest turns.</summary>
    public bool NoTruncation { get; init; }

    /// <summary>
    /// Whether a run interrupted by a crash is resumed (queued, background work) or ends failed (a foreground call whose
    /// caller is gone with the process).
    /// </summary>
    public bool ResumesAfterCrash { get; init; } = true;

    /// <summary>
    /// A run paused for tool outputs waits for them however long it takes (a Managed Agents session idles until its
    /// client answers), instead of expiring after <c>AgentHost:Runs:RequiresActionTimeout</c>.
    /// </summary>
    public bool WaitsForOutputsIndefinitely { get; init; }

    /// <summary>
    /// The agent session (Managed Agents <c>sesn_…</c>) the run is a turn of: its model calls are tagged with it as
    /// their gateway session, so the session's spend adds up across turns and shows under <c>/v1/agenthost/sessions</c>.
    /// </summary>
    public string? SessionId { get; init; }

    /// <summary>The session's spend limit in US dollars across all its turns; a call that would start past it ends the run.</summary>
    public decimal? SessionBudgetUsd { get; init; }

    /// <summary>
    /// The front door asked for a summary of the model's reasoning (<c>auto</c>, <c>concise</c>, <c>detailed</c>): the
    /// model is asked to show its reasoning text. Null: the reasoning is kept, its text as the provider gives it.
    /// </summary>
    public string? ReasoningSummary { get; init; }
}

using AgentHost.Core.Domain;
using Microsoft.Extensions.AI;

namespace AgentHost.Agents;

/// <summary>
/// What an agent is: a model, its instructions, the tools it may call and the rules for calling them. An agent holds no
/// conversation; an <see cref="AgentSession"/> does.
/// </summary>
public sealed record Agent
{
    /// <summary>A name for people and traces, e.g. <c>inventory</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The model name the router resolves (e.g. <c>gpt-4o</c>, <c>claude-sonnet-4-5</c>, an alias).</summary>
    public required string Model { get; init; }

    /// <summary>What the agent does, as a parent agent's model reads it when this agent is one of its <see cref="SubAgents"/>.</summary>
    public string? Description { get; init; }

    /// <summary>The system instructions of every turn.</summary>
    public string? Instructions { get; init; }

    /// <summary>Tools that are plain C# methods (make them with <c>AIFunctionFactory.Create</c>); the session runs them in-process.</summary>
    public IReadOnlyList<AIFunction> Functions { get; init; } = [];

    /// <summary>
    /// Tools AgentHost runs itself, e.g. <see cref="ToolDefinition.CodeInterpreter"/> or a <c>file_search</c> definition; their
    /// implementations must be registered (<c>IToolSource</c>) in the services the runtime was built from.
    /// </summary>
    public IReadOnlyList<ToolDefinition> BuiltInTools { get; init; } = [];

    /// <summary>
    /// Agents this agent may delegate to: each is offered to the model as a function named after it (taking a <c>task</c>),
    /// and a call runs it in a child session of its own, with this agent's permissions and hooks applied before its own.
    /// Calls in one model turn run in parallel.
    /// </summary>
    public IReadOnlyList<Agent> SubAgents { get; init; } = [];

    /// <summary>Sampling temperature, 0 to 2; the model's default when null.</summary>
    public double? Temperature { get; init; }

    /// <summary>When a turn must stop: model calls, tokens, wall-clock time.</summary>
    public AgentLimits Limits { get; init; } = new();

    /// <summary>Which tool calls may run without asking: functions, sub-agents and built-in tools alike.</summary>
    public ToolPermissions Permissions { get; init; } = ToolPermissions.AllowAll;

    /// <summary>Code that sees, allows, denies or rewrites each tool call (its sub-agents' too), and sees each turn end.</summary>
    public AgentHooks Hooks { get; init; } = new();
}

using AgentHost.Core.Engine;
using AgentHost.Core.Storage;

namespace AgentHost.Agents;

/// <summary>The engine parts a session drives, in one place.</summary>
internal sealed record AgentEngine(
    IAgentStore Store, RunService Runs, RunExecutor Executor, RunTransitions Transitions, RunEventHub Hub, RunEngineOptions Options, TimeProvider Time,
    ToolCallGates Gates, AgentPrices Prices, AgentCostLedger Costs);

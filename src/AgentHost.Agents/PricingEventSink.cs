using AgentHost.Core.Engine;
using AgentHost.Core.Events;

namespace AgentHost.Agents;

/// <summary>
/// Prices each model call as the engine reports it: the call's cost goes into the ledger (the run's and its parents'
/// <c>cost</c>) before the engine moves on, and the event is published with <see cref="ModelCallEnded.CostUsd"/>.
/// </summary>
internal sealed class PricingEventSink(RunEventHub hub, AgentPrices prices, AgentCostLedger ledger) : IRunEventSink
{
    public void Publish(AgentEvent agentEvent)
    {
        if (agentEvent is ModelCallEnded ended && prices.CostOf(ended.Model, ended.Usage) is { } cost)
        {
            ledger.Add(ended.RunId, cost);
            agentEvent = ended with { CostUsd = cost.TotalUsd };
        }

        hub.Publish(agentEvent);
    }
}

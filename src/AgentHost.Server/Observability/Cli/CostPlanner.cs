using AgentHost.Core.Observability;
using AgentHost.Observability.Costs;

namespace AgentHost.Server.Observability.Cli;

/// <summary>
/// Prices a workload as the model calls it really makes. A conversation with n tool calls is n + 1 calls, and each
/// call re-sends everything so far: call k's input is the first prompt plus, for every earlier call, the tool
/// request it wrote and the tool result that came back. A prompt cache serves <c>CacheHitRate</c> of the part
/// already sent before (the previous call's input); on Anthropic the new part of a call that is followed by
/// another is written to the cache at the cache-write price, in the same share.
/// </summary>
public static class CostPlanner
{
    public static IReadOnlyList<PlannedCall> Calls(Workload workload)
    {
        var calls = new List<PlannedCall>();
        long input = workload.InputTokens;
        long previousInput = 0;
        for (var k = 1; k <= workload.ToolCalls + 1; k++)
        {
            var last = k == workload.ToolCalls + 1;
            var cached = (long)Math.Round(previousInput * workload.CacheHitRate);
            var written = last ? 0 : (long)Math.Round((input - cached) * workload.CacheHitRate);
            var output = last ? workload.OutputTokens : workload.ToolRequestTokens;
            calls.Add(new PlannedCall(k, input, cached, written, output));
            previousInput = input;
            input += output + ResultTokens(workload, k);
        }

        return calls;
    }

    /// <summary>The monthly cost of <paramref name="workload"/> on <paramref name="model"/>, or null when it has no price.</summary>
    public static decimal? MonthlyCost(PriceTable prices, string model, Workload workload, DateTimeOffset at)
    {
        var priced = prices.Find(model);
        if (priced is null)
        {
            return null;
        }

        var anthropic = priced.Provider == "anthropic";
        var perConversation = 0m;
        foreach (var call in Calls(workload))
        {
            var usage = new TraceUsage
            {
                InputTokens = (int)call.InputTokens,
                CachedInputTokens = (int)call.CachedInputTokens,
                CacheWriteTokens = anthropic ? (int)call.CacheWriteTokens : 0,
                OutputTokens = (int)call.OutputTokens,
            };
            perConversation += prices.Cost(model, usage, at)!.TotalUsd;
        }

        return perConversation * workload.RequestsPerMonth;
    }

    /// <summary>The naive figure: all tokens of a conversation counted once, as one call.</summary>
    public static decimal? FlatMonthlyCost(PriceTable prices, string model, Workload workload, DateTimeOffset at)
    {
        var usage = new TraceUsage { InputTokens = workload.InputTokens + workload.ToolResultTokens, OutputTokens = workload.OutputTokens };
        return prices.Cost(model, usage, at) is { } cost ? cost.TotalUsd * workload.RequestsPerMonth : null;
    }

    private static int ResultTokens(Workload workload, int call)
    {
        if (workload.ToolCalls == 0)
        {
            return 0;
        }

        var each = workload.ToolResultTokens / workload.ToolCalls;
        return call == workload.ToolCalls ? workload.ToolResultTokens - (each * (workload.ToolCalls - 1)) : each;
    }
}

using System.Globalization;
using AgentHost.Core.Observability;

namespace AgentHost.Observability.Budgets;

/// <summary>
/// What was left of a session or API key budget when a call started: a call may start within the budget and pass it
/// by its output, and the call's recorder then records the overshoot (<see cref="Overshoot"/>).
/// </summary>
internal sealed record BudgetHeadroom(string Scope, BudgetLimit Limit, decimal? Usd, long? Tokens)
{
    /// <summary>The one of the two that is passed first (the smaller dollars left, else the smaller tokens left).</summary>
    public static BudgetHeadroom? Tightest(BudgetHeadroom? a, BudgetHeadroom? b) =>
        a is null ? b : b is null ? a : (b.Usd ?? decimal.MaxValue) < (a.Usd ?? decimal.MaxValue) || (b.Tokens ?? long.MaxValue) < (a.Tokens ?? long.MaxValue) ? b : a;

    /// <summary>How far the call passed the budget, as the trace says it; null when it stayed within.</summary>
    public string? Overshoot(TraceUsage? usage, TraceCost? cost)
    {
        var spentUsd = cost?.TotalUsd ?? 0m;
        var spentTokens = (long)(usage?.InputTokens ?? 0) + (usage?.OutputTokens ?? 0);
        var name = Scope == SpendScopes.ApiKey ? "API key" : Scope;
        if (Usd is { } usd && spentUsd > usd)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"The {name} budget of ${Limit.MaxUsd} was passed by ${spentUsd - usd:0.######}: the call started within it and its output went over; the next call is stopped.");
        }

        return Tokens is { } tokens && spentTokens > tokens
            ? string.Create(CultureInfo.InvariantCulture,
                $"The {name} budget of {Limit.MaxTokens} tokens was passed by {spentTokens - tokens}: the call started within it and its output went over; the next call is stopped.")
            : null;
    }
}

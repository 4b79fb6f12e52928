namespace AgentHost.Core.Observability;

/// <summary>
/// What the usage ledger keeps running totals for, each under an id and a period (<c>""</c> for the scope's whole
/// life, <c>yyyy-MM</c> for a UTC calendar month): what budgets and a run's <c>cost</c> read without adding up calls.
/// </summary>
public static class SpendScopes
{
    public const string Run = "run";
    public const string Session = "session";
    public const string Assistant = "assistant";
    public const string ApiKey = "api_key";
    public const string Project = "project";

    /// <summary>The period of a scope's whole life.</summary>
    public const string Lifetime = "";

    /// <summary>The monthly period <paramref name="at"/> falls in.</summary>
    public static string Month(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
}

namespace AgentHost.Core.Observability;

/// <summary>How a model call ended, in the usage ledger and traces.</summary>
public static class ModelCallStatuses
{
    public const string Ok = "ok";
    public const string Error = "error";

    /// <summary>The caller went away mid-call; the tokens and cost recorded are AgentHost's estimate of what was produced.</summary>
    public const string Cancelled = "cancelled";
}

namespace AgentHost.Core.Domain;

/// <summary>The nine run statuses and which of them are final.</summary>
public static class RunStatus
{
    public const string Queued = "queued";
    public const string InProgress = "in_progress";
    public const string RequiresAction = "requires_action";
    public const string Cancelling = "cancelling";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
    public const string Completed = "completed";
    public const string Incomplete = "incomplete";
    public const string Expired = "expired";

    public static bool IsTerminal(string status) =>
        status is Cancelled or Failed or Completed or Incomplete or Expired;

    /// <summary>A run in this status has nothing for a worker to do, so no worker holds its lease.</summary>
    public static bool IsIdle(string status) => status == RequiresAction || IsTerminal(status);

    /// <summary>Active runs block new runs and new messages on their thread.</summary>
    public static bool IsActive(string status) => !IsTerminal(status);
}

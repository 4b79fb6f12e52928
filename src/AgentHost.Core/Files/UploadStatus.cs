namespace AgentHost.Core.Files;

public static class UploadStatus
{
    public const string Pending = "pending";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public const string Expired = "expired";
}

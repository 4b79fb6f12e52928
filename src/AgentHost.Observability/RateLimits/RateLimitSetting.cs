namespace AgentHost.Observability.RateLimits;

/// <summary>One model's limits per minute; unset or 0 is no limit.</summary>
public sealed class RateLimitSetting
{
    /// <summary>Model calls per minute.</summary>
    public long? RequestsPerMinute { get; set; }

    /// <summary>Input plus output tokens per minute (reserved from an estimate when a call starts, settled from its usage).</summary>
    public long? TokensPerMinute { get; set; }
}

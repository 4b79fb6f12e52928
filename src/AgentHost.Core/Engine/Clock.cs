namespace AgentHost.Core.Engine;

internal static class Clock
{
    public static long UnixNow(this TimeProvider time) => time.GetUtcNow().ToUnixTimeSeconds();
}

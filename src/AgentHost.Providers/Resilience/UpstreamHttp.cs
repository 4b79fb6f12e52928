namespace AgentHost.Providers.Resilience;

/// <summary>The one HTTP client every provider SDK sends through.</summary>
internal static class UpstreamHttp
{
    public static HttpClient CreateClient() =>
        new(new ResponseCaptureHandler(new SocketsHttpHandler
        {
            // Re-resolve DNS now and then; provider endpoints move.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
        }))
        {
            // Timeouts are per attempt (RetryOptions.AttemptTimeout); a long stream must not hit HttpClient's 100 s.
            Timeout = Timeout.InfiniteTimeSpan,
        };
}

using AgentHost.Core.Observability;
using AgentHost.Providers;
using AgentHost.Server.Observability.Metrics;

namespace AgentHost.Server.Observability.Tracing;

/// <summary>Puts the providers' retries and fallbacks on the current model call's trace and metrics.</summary>
internal sealed class TraceModelCallObserver(AgentHostMetrics metrics, TimeProvider time) : IModelCallObserver
{
    public void OnRetry(ModelRetryEvent retry)
    {
        metrics.Retry(retry.Provider, retry.Model);
        ModelCallContext.Current?.AddEvent(new TraceEvent
        {
            Type = "retry",
            At = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Provider = retry.Provider,
            Model = retry.Model,
            Attempt = retry.Attempt,
            StatusCode = retry.StatusCode,
            DelayMs = (long)retry.Delay.TotalMilliseconds,
            Reason = retry.Reason,
        });
    }

    public void OnFallback(ModelFallbackEvent fallback)
    {
        metrics.Fallback(fallback.Provider, fallback.Model);
        ModelCallContext.Current?.AddEvent(new TraceEvent
        {
            Type = "fallback",
            At = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Provider = fallback.Provider,
            Model = fallback.Model,
            StatusCode = fallback.StatusCode,
            Reason = fallback.Reason,
            FallbackProvider = fallback.FallbackProvider,
            FallbackModel = fallback.FallbackModel,
        });
    }
}

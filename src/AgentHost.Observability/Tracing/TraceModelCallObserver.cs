using AgentHost.Core.Observability;
using AgentHost.Providers;
using AgentHost.Observability.Metrics;

namespace AgentHost.Observability.Tracing;

/// <summary>Puts the providers' retries, fallbacks and request adjustments on the current model call's trace and metrics.</summary>
internal sealed class TraceModelCallObserver(AgentHostMetrics metrics, TimeProvider time) : IModelCallObserver
{
    public void OnRetry(ModelRetryEvent retry)
    {
        metrics.Retry(retry.Provider, retry.Model);
        Add(Event("retry", retry.Provider, retry.Model, retry.StatusCode, retry.Reason) with
        {
            Attempt = retry.Attempt,
            DelayMs = (long)retry.Delay.TotalMilliseconds,
        });
    }

    public void OnFallback(ModelFallbackEvent fallback)
    {
        metrics.Fallback(fallback.Provider, fallback.Model);
        Add(Event("fallback", fallback.Provider, fallback.Model, fallback.StatusCode, fallback.Reason) with
        {
            FallbackProvider = fallback.FallbackProvider,
            FallbackModel = fallback.FallbackModel,
        });
    }

    public void OnAdjusted(ModelRequestAdjustedEvent adjusted) =>
        Add(Event("adjusted_field", adjusted.Provider, adjusted.Model, null, $"{adjusted.Field}: {adjusted.Reason}"));

    private static void Add(TraceEvent traceEvent) => ModelCallContext.Current?.AddEvent(traceEvent);

    private TraceEvent Event(string type, string provider, string model, int? statusCode, string reason) => new()
    {
        Type = type,
        At = time.GetUtcNow().ToUnixTimeMilliseconds(),
        Provider = provider,
        Model = model,
        StatusCode = statusCode,
        Reason = reason,
    };
}

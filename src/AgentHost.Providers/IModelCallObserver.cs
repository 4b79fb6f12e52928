namespace AgentHost.Providers;

/// <summary>
/// Sees the retries and fallbacks of model calls, so tracing can record them. Called inline on the
/// calling flow (an <see cref="System.Diagnostics.Activity"/> there is the run's); implementations must be
/// quick and must not throw.
/// </summary>
public interface IModelCallObserver
{
    /// <summary>An attempt failed transiently; the next one starts after <see cref="ModelRetryEvent.Delay"/>.</summary>
    void OnRetry(ModelRetryEvent retry) { }

    /// <summary>A model's attempts are exhausted; its fallback model is tried once.</summary>
    void OnFallback(ModelFallbackEvent fallback) { }

    /// <summary>The request was changed to be accepted by the model serving it; called once per change.</summary>
    void OnAdjusted(ModelRequestAdjustedEvent adjusted) { }
}

using System.Collections.Concurrent;

namespace AgentHost.Providers.Tests.TestSupport;

internal sealed class RecordingObserver : IModelCallObserver
{
    private readonly ConcurrentQueue<ModelRetryEvent> _retries = new();
    private readonly ConcurrentQueue<ModelFallbackEvent> _fallbacks = new();

    public IReadOnlyList<ModelRetryEvent> Retries => [.. _retries];

    public IReadOnlyList<ModelFallbackEvent> Fallbacks => [.. _fallbacks];

    public void OnRetry(ModelRetryEvent retry) => _retries.Enqueue(retry);

    public void OnFallback(ModelFallbackEvent fallback) => _fallbacks.Enqueue(fallback);
}

namespace AgentHost.Core.VectorStores;

/// <summary>
/// In-process hints between the API, the ingestion worker and searches: new files were queued, a file finished.
/// The store stays the truth; the hints only save waiting for the next poll.
/// </summary>
public sealed class IngestionSignal
{
    private readonly SemaphoreSlim queued = new(0, 1);
    private TaskCompletionSource finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Queued()
    {
        if (queued.CurrentCount == 0)
        {
            try
            {
                queued.Release();
            }
            catch (SemaphoreFullException)
            {
                // Someone else woke the worker first; one wake is enough.
            }
        }
    }

    public Task WaitForQueuedAsync(TimeSpan timeout, CancellationToken cancellationToken) => queued.WaitAsync(timeout, cancellationToken);

    public void Finished() => Interlocked.Exchange(ref finished, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes when the next file finishes ingesting.</summary>
    public Task NextFinishedAsync() => Volatile.Read(ref finished).Task;
}

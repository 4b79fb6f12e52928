using System.Collections.Concurrent;

namespace AgentHost.Server.Responses;

/// <summary>
/// The responses a request of this process is waiting on to answer. A <c>store: false</c> response is forgotten when
/// its run ends, unless its request still has to read it; then that request forgets it after answering.
/// </summary>
internal sealed class ResponseWaiters
{
    private readonly ConcurrentDictionary<string, byte> waited = new(StringComparer.Ordinal);

    public IDisposable Wait(string responseId)
    {
        waited[responseId] = 0;
        return new Release(this, responseId);
    }

    public bool IsWaited(string responseId) => waited.ContainsKey(responseId);

    private sealed class Release(ResponseWaiters owner, string responseId) : IDisposable
    {
        public void Dispose() => owner.waited.TryRemove(responseId, out _);
    }
}

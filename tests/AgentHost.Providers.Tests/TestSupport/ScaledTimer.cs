namespace AgentHost.Providers.Tests.TestSupport;

/// <summary>A timer whose later changes are scaled like its creation.</summary>
internal sealed class ScaledTimer(ITimer inner, Func<TimeSpan, TimeSpan> scale) : ITimer
{
    public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(scale(dueTime), scale(period));

    public void Dispose() => inner.Dispose();

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

namespace AgentHost.Providers.Tests.TestSupport;

/// <summary>
/// Runs timers <paramref name="speedup"/> times faster than they ask, so retry delays and timeouts keep their
/// logical values (which tests read from the observer) while tests wait only a fraction of them.
/// </summary>
internal sealed class ScaledTimeProvider(double speedup) : TimeProvider
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(System.CreateTimer(callback, state, Scale(dueTime), Scale(period)), Scale);

    private TimeSpan Scale(TimeSpan time) => time == Timeout.InfiniteTimeSpan ? time : time / speedup;
}

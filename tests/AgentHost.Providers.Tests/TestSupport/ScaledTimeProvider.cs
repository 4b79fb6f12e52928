namespace AgentHost.Providers.Tests.TestSupport;

/// <summary>
/// A clock that runs <paramref name="speedup"/> times fast: timers fire that much sooner and timestamps advance
/// that much quicker, so retry delays and timeouts keep their logical values (which tests read from the
/// observer) while tests wait only a fraction of them.
/// </summary>
internal sealed class ScaledTimeProvider(double speedup) : TimeProvider
{
    private readonly long _start = System.GetTimestamp();

    public override long GetTimestamp() => _start + (long)((System.GetTimestamp() - _start) * speedup);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(System.CreateTimer(callback, state, Scale(dueTime), Scale(period)), Scale);

    private TimeSpan Scale(TimeSpan time) => time == Timeout.InfiniteTimeSpan ? time : time / speedup;
}

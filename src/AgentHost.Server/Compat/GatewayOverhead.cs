using System.Globalization;

namespace AgentHost.Server.Compat;

/// <summary>
/// The <c>x-agenthost-overhead-ms</c> header of every gateway response (<c>/v1/messages</c>, its
/// <c>count_tokens</c>, <c>/v1/chat/completions</c>): the time from the endpoint's start to the response's headers,
/// less the time spent waiting on the model (the routed call until its answer, or until its first update when
/// streamed; a forwarded <c>count_tokens</c>). What remains is AgentHost's own work: reading and checking the body,
/// translating it, a thread's history, budgets, and writing the answer.
/// </summary>
internal sealed class GatewayOverhead
{
    public const string Header = "x-agenthost-overhead-ms";

    private readonly TimeProvider time;
    private readonly long started;
    private long upstreamStarted;
    private TimeSpan upstream;

    private GatewayOverhead(TimeProvider time)
    {
        this.time = time;
        started = time.GetTimestamp();
    }

    /// <summary>Starts timing the request; the header is set as the response starts, whatever the answer.</summary>
    public static GatewayOverhead Start(HttpContext context, TimeProvider time)
    {
        var overhead = new GatewayOverhead(time);
        context.Response.OnStarting(static state =>
        {
            var (overhead, response) = ((GatewayOverhead, HttpResponse))state;
            response.Headers[Header] = overhead.Milliseconds().ToString("0.00", CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }, (overhead, context.Response));
        return overhead;
    }

    /// <summary>Marks the start of a wait on the model.</summary>
    public void UpstreamStarted() => upstreamStarted = time.GetTimestamp();

    /// <summary>Marks the end of the wait that <see cref="UpstreamStarted"/> began.</summary>
    public void UpstreamEnded()
    {
        if (upstreamStarted != 0)
        {
            upstream += time.GetElapsedTime(upstreamStarted);
            upstreamStarted = 0;
        }
    }

    private double Milliseconds()
    {
        UpstreamEnded();
        return Math.Max(0, (time.GetElapsedTime(started) - upstream).TotalMilliseconds);
    }
}

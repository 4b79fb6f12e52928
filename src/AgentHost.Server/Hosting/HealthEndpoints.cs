using AgentHost.Core.Storage;
using AgentHost.Sandbox;

namespace AgentHost.Server.Hosting;

/// <summary>
/// Probes for orchestrators and load balancers, outside the API key: <c>/health/live</c> answers while the process
/// serves HTTP; <c>/health/ready</c> answers 200 when the store answers a read (migrations ran at start) and 503
/// otherwise. The code sandbox is reported but does not decide readiness: without it every other API still works.
/// </summary>
internal static class HealthEndpoints
{
    private static readonly TimeSpan StoreProbeTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Ok());
        app.MapGet("/health/live", () => TypedResults.Json(new HealthReport { Status = "live" }, HealthJsonContext.Default.HealthReport));
        app.MapGet("/health/ready", ReadyAsync);
        return app;
    }

    private static async Task<IResult> ReadyAsync(IAgentStore store, BubblewrapSandbox sandbox, CancellationToken cancellationToken)
    {
        var storeCheck = await ProbeStoreAsync(store, cancellationToken);
        var sandboxCheck = sandbox.UnavailableReason is { } reason
            ? new HealthCheck { Status = "unavailable", Reason = reason }
            : new HealthCheck { Status = "ok" };
        var ready = storeCheck.Status == "ok";
        var report = new HealthReport
        {
            Status = ready ? "ready" : "not_ready",
            Checks = new Dictionary<string, HealthCheck> { ["store"] = storeCheck, ["sandbox"] = sandboxCheck },
        };
        return TypedResults.Json(report, HealthJsonContext.Default.HealthReport,
            statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<HealthCheck> ProbeStoreAsync(IAgentStore store, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StoreProbeTimeout);
        try
        {
            await store.GetAssistantAsync("asst_health_probe", timeout.Token);
            return new HealthCheck { Status = "ok" };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheck { Status = "failing", Reason = e.Message };
        }
    }
}

using System.Diagnostics;

namespace AgentHost.Observability.Tracing;

/// <summary>
/// The OpenTelemetry names AgentHost emits under: spans follow the GenAI semantic conventions
/// (<c>chat {model}</c>, <c>execute_tool {tool}</c> with <c>gen_ai.*</c> attributes). Without a listener (no OTLP
/// exporter configured) <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null and costs nothing.
/// </summary>
public static class AgentHostTelemetry
{
    public const string Name = "AgentHost";

    public static readonly ActivitySource Source = new(Name, typeof(AgentHostTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Marks <paramref name="activity"/> failed; returns the error to record (<paramref name="otherwise"/> without an exception).</summary>
    internal static string SetFailed(Activity? activity, Exception? failure, string otherwise)
    {
        var error = failure?.Message ?? otherwise;
        activity?.SetStatus(ActivityStatusCode.Error, error);
        activity?.SetTag("error.type", failure?.GetType().Name ?? "incomplete");
        return error;
    }
}

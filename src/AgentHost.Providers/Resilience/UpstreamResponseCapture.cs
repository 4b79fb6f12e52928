namespace AgentHost.Providers.Resilience;

/// <summary>
/// The retry hints of the last failed upstream response in this async flow. The Anthropic SDK's exceptions
/// carry the status and body but not the headers, so <see cref="ResponseCaptureHandler"/> records
/// <c>retry-after</c> here for every provider alike.
/// </summary>
internal sealed class UpstreamResponseCapture
{
    private static readonly AsyncLocal<UpstreamResponseCapture?> s_current = new();

    public static UpstreamResponseCapture? Current => s_current.Value;

    public string? RetryAfter { get; private set; }

    public string? RetryAfterMs { get; private set; }

    /// <summary>Starts capturing for the calling flow; call it from the async method that makes the attempt, so it ends with it.</summary>
    public static UpstreamResponseCapture Begin()
    {
        var capture = new UpstreamResponseCapture();
        s_current.Value = capture;
        return capture;
    }

    public void Record(HttpResponseMessage response)
    {
        RetryAfterMs = FirstValue(response, "retry-after-ms");
        RetryAfter = FirstValue(response, "retry-after");
    }

    private static string? FirstValue(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues(header, out var values) ? values.FirstOrDefault() : null;
}

namespace AgentHost.Providers.Resilience;

/// <summary>Records the retry hints of failed responses into <see cref="UpstreamResponseCapture.Current"/>.</summary>
internal sealed class ResponseCaptureHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            UpstreamResponseCapture.Current?.Record(response);
        }

        return response;
    }
}

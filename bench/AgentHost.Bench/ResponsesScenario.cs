namespace AgentHost.Bench;

/// <summary>
/// N clients loop on <c>POST /v1/responses</c> with a one-message input: answered when the response ends, or streamed
/// to <c>response.completed</c>. Only responses completed inside the measured window count.
/// </summary>
internal sealed class ResponsesScenario(BenchHost host, BenchOptions options)
{
    private const string Whole = """{"model":"gpt-4o","input":"Say hello."}""";
    private const string Streamed = """{"model":"gpt-4o","input":"Say hello.","stream":true}""";

    public Task<LoadRunner.Result> RunWholeAsync() => LoadRunner.RunAsync("responses, whole", options, WholeAsync);

    public Task<LoadRunner.Result> RunStreamedAsync() => LoadRunner.RunAsync("responses, streamed (SSE to response.completed)", options, StreamedAsync);

    private async Task<bool> WholeAsync(CancellationToken cancellationToken)
    {
        using var response = await host.Client.PostAsync(host.BaseUrl + "/v1/responses", BenchHost.Json(Whole), cancellationToken);
        return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync(cancellationToken)).Contains("\"status\":\"completed\"", StringComparison.Ordinal);
    }

    private async Task<bool> StreamedAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, host.BaseUrl + "/v1/responses") { Content = BenchHost.Json(Streamed) };
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        using var events = await SseReader.OpenAsync(response, cancellationToken);
        return await events.ReadUntilEventAsync("response.completed", cancellationToken);
    }
}

using System.Diagnostics;

namespace AgentHost.Bench;

/// <summary>
/// The compatible endpoints (<c>/v1/messages</c>, <c>/v1/chat/completions</c>) in front of each provider, streamed
/// and not: one client alternates a call straight to the upstream in the provider's own format with the same call
/// through AgentHost, timing the whole response and, when streamed, the first body byte.
/// </summary>
internal sealed class CompatScenario(BenchHost host, BenchOptions options)
{
    public sealed record Result(string Name, Distribution Direct, Distribution Through, Distribution? DirectFirstByte, Distribution? ThroughFirstByte);

    private sealed record Case(string Name, string UpstreamPath, string UpstreamBody, string Path, string Body, bool Stream);

    private static string Messages(string model, bool stream) =>
        $$"""{"model":"{{model}}","max_tokens":256,"messages":[{"role":"user","content":"Say hello."}],"stream":{{(stream ? "true" : "false")}}}""";

    private static string Chat(string model, bool stream) =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Say hello."}],"stream":{{(stream ? "true" : "false")}}{{(stream ? ""","stream_options":{"include_usage":true}""" : "")}}}""";

    private static IEnumerable<Case> Cases()
    {
        foreach (var stream in new[] { false, true })
        {
            var mode = stream ? "streamed" : "whole";
            yield return new($"messages → Anthropic, {mode}", "/v1/messages", Messages("claude-sonnet-4-5", stream), "/v1/messages", Messages("claude-sonnet-4-5", stream), stream);
            yield return new($"messages → OpenAI, {mode}", "/v1/chat/completions", Chat("gpt-4o", stream), "/v1/messages", Messages("gpt-4o", stream), stream);
            yield return new($"chat/completions → OpenAI, {mode}", "/v1/chat/completions", Chat("gpt-4o", stream), "/v1/chat/completions", Chat("gpt-4o", stream), stream);
            yield return new($"chat/completions → Anthropic, {mode}", "/v1/messages", Messages("claude-sonnet-4-5", stream), "/v1/chat/completions", Chat("claude-sonnet-4-5", stream), stream);
        }
    }

    private static string Response(string model, bool stream) =>
        $$"""{"model":"{{model}}","input":"Say hello.","stream":{{(stream ? "true" : "false")}}}""";

    /// <summary>The Responses API next to the same call through Chat Completions, to each provider (the responses scenario).</summary>
    private static IEnumerable<Case> ResponsesCases()
    {
        foreach (var stream in new[] { false, true })
        {
            var mode = stream ? "streamed" : "whole";
            yield return new($"chat/completions → OpenAI, {mode}", "/v1/chat/completions", Chat("gpt-4o", stream), "/v1/chat/completions", Chat("gpt-4o", stream), stream);
            yield return new($"responses → OpenAI, {mode}", "/v1/chat/completions", Chat("gpt-4o", stream), "/v1/responses", Response("gpt-4o", stream), stream);
            yield return new($"responses (store: false) → OpenAI, {mode}", "/v1/chat/completions", Chat("gpt-4o", stream), "/v1/responses",
                Response("gpt-4o", stream).Replace("\"stream\"", "\"store\":false,\"stream\"", StringComparison.Ordinal), stream);
            yield return new($"responses → Anthropic, {mode}", "/v1/messages", Messages("claude-sonnet-4-5", stream), "/v1/responses", Response("claude-sonnet-4-5", stream), stream);
        }
    }

    /// <summary>A 40 KB Claude Agent SDK-sized Messages request, streamed, to each provider.</summary>
    private static IEnumerable<Case> LargeCases()
    {
        var chat = "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"system\",\"content\":\""
            + AgentSdkBody.Filler("Guideline", 36_000) + "\"},{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
        yield return new("messages 40 KB → Anthropic, streamed", "/v1/messages", AgentSdkBody.Messages("claude-sonnet-4-5", true), "/v1/messages", AgentSdkBody.Messages("claude-sonnet-4-5", true), true);
        yield return new("messages 40 KB → OpenAI, streamed", "/v1/chat/completions", chat, "/v1/messages", AgentSdkBody.Messages("gpt-4o", true), true);
    }

    /// <param name="large">Only the 40 KB cases (the gateway scenario).</param>
    /// <param name="responses">Only the Responses API cases (the responses scenario).</param>
    public async Task<IReadOnlyList<Result>> RunAsync(bool large = false, bool responses = false)
    {
        var results = new List<Result>();
        foreach (var c in responses ? ResponsesCases() : large ? LargeCases() : Cases())
        {
            var warmup = Math.Max(200, options.Iterations / 10);
            var settling = new JitSettling();
            for (var i = 0; i < warmup || !settling.Settled(); i++)
            {
                await TimeAsync(host.Upstream.BaseUrl + c.UpstreamPath, c.UpstreamBody);
                await TimeAsync(host.BaseUrl + c.Path, c.Body);
            }

            var direct = new (double Total, double First)[options.Iterations];
            var through = new (double Total, double First)[options.Iterations];
            for (var i = 0; i < options.Iterations; i++)
            {
                direct[i] = await TimeAsync(host.Upstream.BaseUrl + c.UpstreamPath, c.UpstreamBody);
                through[i] = await TimeAsync(host.BaseUrl + c.Path, c.Body);
            }

            results.Add(new Result(
                c.Name,
                new Distribution(direct.Select(d => d.Total)),
                new Distribution(through.Select(d => d.Total)),
                c.Stream ? new Distribution(direct.Select(d => d.First)) : null,
                c.Stream ? new Distribution(through.Select(d => d.First)) : null));
        }

        return results;
    }

    /// <summary>Milliseconds to the end of the body, and to its first byte.</summary>
    private async Task<(double Total, double First)> TimeAsync(string url, string body)
    {
        var buffer = new byte[16 * 1024];
        var start = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = BenchHost.Json(body) };
        request.Headers.Add("x-api-key", "sk-bench");
        request.Headers.Add("anthropic-version", "2023-06-01");
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        await using var stream = await response.Content.ReadAsStreamAsync();
        var read = await stream.ReadAsync(buffer);
        var first = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        while (read > 0)
        {
            read = await stream.ReadAsync(buffer);
        }

        return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, first);
    }
}

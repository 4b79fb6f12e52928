using System.Runtime.CompilerServices;

namespace AgentHost.Server.Tests.Conformance;

/// <summary>Reads a text/event-stream response event by event, as the events arrive.</summary>
internal static class SseReader
{
    /// <remarks>
    /// Send the request with <see cref="HttpCompletionOption.ResponseHeadersRead"/>, or the client
    /// buffers the whole stream before the first event is seen.
    /// </remarks>
    public static async IAsyncEnumerable<SseEvent> ReadEventsAsync(
        this HttpResponseMessage response, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType != "text/event-stream")
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException(
                $"Expected text/event-stream but got {(int)response.StatusCode} {mediaType ?? "(no content type)"}: {body}");
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var parser = new SseEventParser();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (parser.Accept(line) is { } parsed)
            {
                yield return parsed;
            }
        }
    }
}

namespace AgentHost.Bench;

/// <summary>Reads one SSE response line by line up to marker lines, without parsing data payloads.</summary>
internal sealed class SseReader(Stream body) : IDisposable
{
    private readonly StreamReader reader = new(body);

    public static async Task<SseReader> OpenAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        new(await response.Content.ReadAsStreamAsync(cancellationToken));

    /// <summary>True once <c>event: name</c> was read; false when the stream ended first.</summary>
    public Task<bool> ReadUntilEventAsync(string name, CancellationToken cancellationToken) =>
        ReadUntilLineAsync("event: " + name, cancellationToken);

    /// <summary>True once the exact line was read; false when the stream ended first.</summary>
    public async Task<bool> ReadUntilLineAsync(string marker, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line == marker)
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose() => reader.Dispose();
}

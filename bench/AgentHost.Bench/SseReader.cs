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

    /// <summary>Like <see cref="ReadUntilEventAsync"/>, telling <paramref name="seen"/> every event name on the way.</summary>
    public async Task<bool> ReadEventsUntilAsync(string name, Action<string> seen, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                seen(line["event: ".Length..]);
                if (line.AsSpan("event: ".Length).SequenceEqual(name))
                {
                    return true;
                }
            }
        }

        return false;
    }

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

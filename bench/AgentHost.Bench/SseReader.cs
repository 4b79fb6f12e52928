using System.Text;

namespace AgentHost.Bench;

/// <summary>
/// Reads one SSE response line by line up to marker lines, without parsing data payloads: lines are found and compared
/// as bytes in one reused buffer, so the client's own cost per event stays small next to the server's it measures.
/// </summary>
internal sealed class SseReader(Stream body) : IDisposable
{
    private byte[] buffer = new byte[4096];
    private int start;
    private int end;
    private int lineStart;
    private int lineLength;

    private ReadOnlySpan<byte> Line => buffer.AsSpan(lineStart, lineLength);

    public static async Task<SseReader> OpenAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        new(await response.Content.ReadAsStreamAsync(cancellationToken));

    /// <summary>True once <c>event: name</c> was read; false when the stream ended first.</summary>
    public Task<bool> ReadUntilEventAsync(string name, CancellationToken cancellationToken) =>
        ReadUntilLineAsync("event: " + name, cancellationToken);

    /// <summary>Like <see cref="ReadUntilEventAsync"/>, telling <paramref name="seen"/> every event name on the way.</summary>
    public async Task<bool> ReadEventsUntilAsync(string name, Action<string> seen, CancellationToken cancellationToken)
    {
        var prefix = "event: "u8.ToArray();
        while (await NextLineAsync(cancellationToken))
        {
            if (Line.StartsWith(prefix))
            {
                var eventName = Encoding.UTF8.GetString(Line[prefix.Length..]);
                seen(eventName);
                if (eventName == name)
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
        var bytes = Encoding.UTF8.GetBytes(marker);
        while (await NextLineAsync(cancellationToken))
        {
            if (Line.SequenceEqual(bytes))
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose() => body.Dispose();

    /// <summary>Finds the next line (without its <c>\r\n</c> or <c>\n</c>) in the buffer, reading more as needed; false at the end of the stream.</summary>
    private async ValueTask<bool> NextLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                lineStart = start;
                lineLength = newline > 0 && buffer[start + newline - 1] == '\r' ? newline - 1 : newline;
                start += newline + 1;
                return true;
            }

            if (start > 0)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await body.ReadAsync(buffer.AsMemory(end), cancellationToken);
            if (read == 0)
            {
                // The last line may end without a newline.
                lineStart = start;
                lineLength = end - start;
                start = end;
                return lineLength > 0;
            }

            end += read;
        }
    }
}

using System.Buffers;

namespace AgentHost.Server.Compat;

/// <summary>
/// A server-sent event response: the headers when it starts, then events written to <see cref="Writer"/> and sent
/// together on <see cref="FlushAsync"/>.
/// </summary>
internal sealed class EventStreamBuffer(HttpResponse http)
{
    private readonly ArrayBufferWriter<byte> buffer = new(1024);

    public IBufferWriter<byte> Writer => buffer;

    public void Start()
    {
        http.StatusCode = StatusCodes.Status200OK;
        http.ContentType = "text/event-stream; charset=utf-8";
        http.Headers.CacheControl = "no-cache";
        http.Headers["X-Accel-Buffering"] = "no";
    }

    /// <summary>Sends what is buffered; the stream calls it only when the next update is not already at hand.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (buffer.WrittenCount == 0)
        {
            return;
        }

        await http.Body.WriteAsync(buffer.WrittenMemory, cancellationToken);
        await http.Body.FlushAsync(cancellationToken);
        buffer.ResetWrittenCount();
    }
}

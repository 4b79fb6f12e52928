namespace AgentHost.Server.Uploads;

/// <summary>Reads several streams one after another, disposing each once read; the parts of an upload in order.</summary>
internal sealed class ConcatenatedStream(IEnumerable<Func<Stream>> parts) : Stream
{
    private readonly IEnumerator<Func<Stream>> next = parts.GetEnumerator();
    private Stream? current;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (current is null)
            {
                if (!next.MoveNext())
                {
                    return 0;
                }

                current = next.Current();
            }

            var read = await current.ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                return read;
            }

            await current.DisposeAsync();
            current = null;
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            current?.Dispose();
            next.Dispose();
        }

        base.Dispose(disposing);
    }
}

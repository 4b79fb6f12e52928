using System.Buffers.Binary;
using System.Text.Json;

namespace AgentHost.Sandbox;

/// <summary>
/// The driver's framing: u32 header length, JSON header, u32 body length, body (big-endian). Binary bodies keep
/// files and images out of JSON; the length caps guard against a subverted driver.
/// </summary>
internal static class FrameProtocol
{
    private const int MaxHeaderBytes = 64 * 1024;

    public static async Task<SandboxFrame?> ReadAsync(Stream stream, int maxBodyBytes, CancellationToken cancellationToken)
    {
        var length = new byte[4];
        if (!await ReadExactAsync(stream, length, cancellationToken))
        {
            return null;
        }

        var headerLength = BinaryPrimitives.ReadUInt32BigEndian(length);
        if (headerLength > MaxHeaderBytes)
        {
            throw new InvalidDataException($"Sandbox frame header of {headerLength} bytes.");
        }

        var header = new byte[headerLength];
        if (!await ReadExactAsync(stream, header, cancellationToken) || !await ReadExactAsync(stream, length, cancellationToken))
        {
            return null;
        }

        var bodyLength = BinaryPrimitives.ReadUInt32BigEndian(length);
        if (bodyLength > maxBodyBytes)
        {
            throw new InvalidDataException($"Sandbox frame body of {bodyLength} bytes.");
        }

        var body = bodyLength == 0 ? [] : new byte[bodyLength];
        if (!await ReadExactAsync(stream, body, cancellationToken))
        {
            return null;
        }

        using var json = JsonDocument.Parse(header);
        var root = json.RootElement;
        return new SandboxFrame(
            root.GetProperty("type").GetString() ?? string.Empty,
            StringOf(root, "name"),
            StringOf(root, "error"),
            body)
        {
            Detail = StringOf(root, "detail"),
            SkippedFiles = CountOf(root, "skipped_files"),
            SkippedImages = CountOf(root, "skipped_images"),
        };
    }

    private static string? StringOf(JsonElement root, string field) =>
        root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int CountOf(JsonElement root, string field) =>
        root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count > 0 ? count : 0;

    public static async Task WriteAsync(Stream stream, string op, string? name, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var header = new MemoryStream();
        using (var writer = new Utf8JsonWriter(header))
        {
            writer.WriteStartObject();
            writer.WriteString("op", op);
            if (name is not null)
            {
                writer.WriteString("name", name);
            }

            writer.WriteEndObject();
        }

        var prefix = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)header.Length);
        await stream.WriteAsync(prefix, cancellationToken);
        await stream.WriteAsync(header.GetBuffer().AsMemory(0, (int)header.Length), cancellationToken);
        BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)body.Length);
        await stream.WriteAsync(prefix, cancellationToken);
        await stream.WriteAsync(body, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    private static async Task<bool> ReadExactAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}

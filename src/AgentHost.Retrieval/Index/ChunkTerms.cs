using System.Text;

namespace AgentHost.Retrieval.Index;

/// <summary>
/// A chunk's BM25 analysis as stored beside it: per distinct term a 7-bit varint count, a one-byte UTF-8 length and
/// the term's UTF-8 bytes. Loading reads this instead of tokenising and stemming the text again.
/// </summary>
internal static class ChunkTerms
{
    public static byte[] Encode(Dictionary<string, int> counts)
    {
        using var stream = new MemoryStream(counts.Count * 10);
        Span<byte> buffer = stackalloc byte[5 + 1 + 256];
        foreach (var (term, count) in counts)
        {
            var length = 0;
            for (var value = (uint)count; ; value >>= 7)
            {
                buffer[length++] = (byte)(value < 0x80 ? value : (value & 0x7F) | 0x80);
                if (value < 0x80)
                {
                    break;
                }
            }

            var bytes = Encoding.UTF8.GetBytes(term, buffer[(length + 1)..]);
            buffer[length] = (byte)bytes;
            stream.Write(buffer[..(length + 1 + bytes)]);
        }

        return stream.ToArray();
    }

    /// <summary>Reads the next term of <paramref name="data"/> at <paramref name="offset"/>; false at the end.</summary>
    public static bool Next(ReadOnlySpan<byte> data, ref int offset, out int count, out ReadOnlySpan<byte> term)
    {
        if (offset >= data.Length)
        {
            count = 0;
            term = default;
            return false;
        }

        count = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[offset++];
            count |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        var length = data[offset++];
        term = data.Slice(offset, length);
        offset += length;
        return true;
    }
}

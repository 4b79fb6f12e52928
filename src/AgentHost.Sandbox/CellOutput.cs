using System.Text;

namespace AgentHost.Sandbox;

/// <summary>A call's stdout/stderr, decoded as UTF-8 across frame boundaries and capped by bytes.</summary>
internal sealed class CellOutput(int maxBytes, Action<string>? onOutput)
{
    private readonly StringBuilder text = new();
    private readonly Decoder decoder = Encoding.UTF8.GetDecoder();
    private long bytes;

    /// <summary>Adds a chunk; returns true the first time the cap is passed.</summary>
    public bool Add(byte[] chunk)
    {
        if (bytes > maxBytes)
        {
            return false;
        }

        var room = (int)Math.Min(chunk.Length, maxBytes - bytes);
        bytes += chunk.Length;
        var passed = bytes > maxBytes;
        var chars = new char[decoder.GetCharCount(chunk, 0, room, flush: passed)];
        decoder.GetChars(chunk, 0, room, chars, 0, flush: passed);
        var piece = new string(chars);
        text.Append(piece);
        if (piece.Length > 0)
        {
            onOutput?.Invoke(piece);
        }

        return passed;
    }

    public string Text() => text.ToString();
}

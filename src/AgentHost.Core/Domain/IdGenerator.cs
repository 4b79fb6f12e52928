using System.Security.Cryptography;

namespace AgentHost.Core.Domain;

/// <summary>
/// Ids in the original service's form: a prefix and 24 alphanumerics, e.g. <c>run_0ZpXk3Qa7fGk1mT9cWbq2LsN</c>. The first
/// 8 are the creation time (milliseconds, base 62 in byte order) and the other 16 random (about 95 bits): ids made one
/// after another sort together, so a table's index of them grows at one end instead of touching a random page per row.
/// </summary>
public static class IdGenerator
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>The 62 alphanumerics in byte order, so an id's time sorts as its characters do.</summary>
    private const string Ordered = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private const int TimeChars = 8;

    public static string New(string prefix)
    {
        Span<char> chars = stackalloc char[prefix.Length + 1 + 24];
        prefix.CopyTo(chars);
        chars[prefix.Length] = '_';

        // The system clock even under a test's fake one: the time only places the id in an index.
        var time = (ulong)TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var timeChars = chars.Slice(prefix.Length + 1, TimeChars);
        for (var i = TimeChars - 1; i >= 0; i--)
        {
            timeChars[i] = Ordered[(int)(time % (ulong)Ordered.Length)];
            time /= (ulong)Ordered.Length;
        }

        RandomNumberGenerator.GetItems(Alphabet, chars[(prefix.Length + 1 + TimeChars)..]);
        return new string(chars);
    }

    /// <summary><paramref name="length"/> random alphanumerics (about 5.95 bits each), for secrets.</summary>
    public static string RandomAlphanumerics(int length) => Random("", Alphabet, length);

    public static string Assistant() => New("asst");
    public static string Thread() => New("thread");
    public static string Message() => New("msg");
    public static string Run() => New("run");
    public static string Step() => New("step");
    public static string ToolCall() => New("call");

    /// <summary>A turn's reasoning record (<c>rs_…</c>), as the Responses API names reasoning items.</summary>
    public static string Reasoning() => New("rs");

    /// <summary><c>file-</c> and 22 alphanumerics, as the original's file ids.</summary>
    public static string File() => Random("file-", Alphabet, 22);

    /// <summary><c>vs_</c> and 32 hex digits, as the original's vector store ids.</summary>
    public static string VectorStore() => Random("vs_", Hex, 32);

    public static string FileBatch() => Random("vsfb_", Hex, 32);

    public static string Upload() => New("upload");

    public static string UploadPart() => New("part");

    /// <summary><c>cntr_</c> and 48 hex digits, as the original's container ids.</summary>
    public static string Container() => Random("cntr_", Hex, 48);

    /// <summary><c>cfile_</c> and 32 hex digits, as the original's container file ids.</summary>
    public static string ContainerFile() => Random("cfile_", Hex, 32);

    private const string Hex = "0123456789abcdef";

    private static string Random(string prefix, string alphabet, int length)
    {
        Span<char> chars = stackalloc char[prefix.Length + length];
        prefix.CopyTo(chars);
        RandomNumberGenerator.GetItems(alphabet, chars[prefix.Length..]);
        return new string(chars);
    }
}

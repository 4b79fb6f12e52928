using System.Security.Cryptography;

namespace AgentHost.Core.Domain;

/// <summary>Ids in the original service's form: a prefix and 24 random alphanumerics, e.g. <c>run_oyfV44CrJXYJkvb2qsd80LvJ</c>.</summary>
public static class IdGenerator
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string New(string prefix)
    {
        Span<char> chars = stackalloc char[prefix.Length + 1 + 24];
        prefix.CopyTo(chars);
        chars[prefix.Length] = '_';
        RandomNumberGenerator.GetItems(Alphabet, chars[(prefix.Length + 1)..]);
        return new string(chars);
    }

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

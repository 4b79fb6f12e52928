using System.Runtime.InteropServices;
using System.Text.Json;
using AgentHost.Core.Errors;

namespace AgentHost.Server.Http;

/// <summary>
/// Refuses request bodies that are not valid UTF-8, or whose strings hold a lone UTF-16 surrogate (<c>"\ud800"</c>): valid JSON, but not text, and
/// reading it as a string throws deep inside a handler. Valid bodies without an escaped surrogate (nearly all) cost two
/// vectorized scans of their raw bytes and no allocation.
/// </summary>
internal static class UnicodeCheck
{
    /// <summary>Throws a 400 naming the parameter when a string (or a property name) in <paramref name="root"/> is not valid UTF-16.</summary>
    public static void RequireValidText(JsonElement root)
    {
        // The JSON reader checks UTF-8 only where it decodes a string, so a bad byte in a name would throw later.
        var raw = JsonMarshal.GetRawUtf8Value(root);
        if (!System.Text.Unicode.Utf8.IsValid(raw))
        {
            throw ApiException.Invalid("The request body is not valid UTF-8 text.", null, "invalid_encoding");
        }

        if (!MayHoldEscapedSurrogate(raw))
        {
            return;
        }

        if (FindInvalid(root, string.Empty) is { } path)
        {
            throw ApiException.Invalid(
                $"Invalid value for '{path}': the string contains an unpaired UTF-16 surrogate, which is not valid Unicode text.",
                path, "invalid_value");
        }
    }

    private static bool MayHoldEscapedSurrogate(ReadOnlySpan<byte> json)
    {
        for (var at = json.IndexOf("\\u"u8); at >= 0 && at + 3 < json.Length; at = Next(json, at))
        {
            if ((json[at + 2] | 0x20) == 'd' && json[at + 3] is (byte)'8' or (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F')
            {
                return true;
            }
        }

        return false;

        static int Next(ReadOnlySpan<byte> json, int at)
        {
            var rest = json[(at + 2)..].IndexOf("\\u"u8);
            return rest < 0 ? -1 : at + 2 + rest;
        }
    }

    private static string? FindInvalid(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsValid(element) ? null : path;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return path.Length == 0 ? "(property name)" : path;
                    }

                    if (FindInvalid(property.Value, path.Length == 0 ? name : $"{path}.{name}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindInvalid(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool IsValid(JsonElement text)
    {
        try
        {
            _ = text.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

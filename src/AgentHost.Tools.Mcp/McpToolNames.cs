using System.Security.Cryptography;
using System.Text;

namespace AgentHost.Tools.Mcp;

/// <summary>
/// The names MCP tools are offered under: <c>&lt;label&gt;__&lt;tool&gt;</c>, kept to <c>[A-Za-z0-9_-]</c> and 64
/// characters. A name that had to be changed gets a short hash of the original, so two tools never share one and the
/// same tool always gets the same name.
/// </summary>
internal static class McpToolNames
{
    public const int MaxLength = 64;
    private const string Separator = "__";

    public static bool IsValidLabel(string label) => label.Length is > 0 and <= 40 && label.All(IsAllowed);

    public static string For(string label, string tool)
    {
        var original = label + Separator + tool;
        if (original.Length <= MaxLength && original.All(IsAllowed))
        {
            return original;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(original)))[..8];
        var cleaned = new string([.. original.Select(c => IsAllowed(c) ? c : '_')]);
        var keep = MaxLength - hash.Length - 1;
        return (cleaned.Length > keep ? cleaned[..keep] : cleaned) + "_" + hash;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
}

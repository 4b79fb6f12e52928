using System.Net;
using System.Text.RegularExpressions;

namespace AgentHost.Ingestion;

/// <summary>The visible text of an HTML page: scripts, styles and tags dropped, block ends kept as line breaks, entities decoded.</summary>
internal static partial class HtmlText
{
    public static string Read(string html)
    {
        var text = Hidden().Replace(html, " ");
        text = BlockEnd().Replace(text, "\n");
        text = Tag().Replace(text, string.Empty);
        text = WebUtility.HtmlDecode(text);
        return Blank().Replace(text, "\n\n").Trim();
    }

    [GeneratedRegex(@"<(script|style|head|noscript)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Hidden();

    [GeneratedRegex(@"<(br|/p|/div|/h[1-6]|/li|/tr|/title)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnd();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\n\s*\n\s*")]
    private static partial Regex Blank();
}

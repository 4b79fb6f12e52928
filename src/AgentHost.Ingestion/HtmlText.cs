using System.Net;
using System.Text;

namespace AgentHost.Ingestion;

/// <summary>
/// The visible text of an HTML page in one linear pass (no regular expressions, so no input can make it backtrack):
/// tags dropped, the contents of <c>script</c>, <c>style</c>, <c>head</c>, <c>noscript</c> and <c>template</c>
/// skipped, comments skipped, blocks kept apart by line breaks, entities decoded.
/// </summary>
internal static class HtmlText
{
    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "head", "noscript", "template" };
    private static readonly HashSet<string> Breaks = new(StringComparer.OrdinalIgnoreCase)
    {
        "br", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "title", "section", "article", "table", "ul", "ol", "pre", "blockquote",
    };

    public static string Read(string html, int maxChars, CancellationToken cancellationToken)
    {
        var text = new TextBuilder(maxChars);
        var i = 0;
        while (i < html.Length)
        {
            if ((i & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var open = html.IndexOf('<', i);
            if (open < 0)
            {
                text.AppendDecoded(html.AsSpan(i));
                break;
            }

            text.AppendDecoded(html.AsSpan(i, open - i));
            i = SkipMarkup(html, open, text);
        }

        return text.ToString();
    }

    /// <summary>Consumes the markup at <paramref name="open"/> (a '&lt;') and returns where text resumes.</summary>
    private static int SkipMarkup(string html, int open, TextBuilder text)
    {
        if (string.CompareOrdinal(html, open, "<!--", 0, 4) == 0)
        {
            var end = html.IndexOf("-->", open + 4, StringComparison.Ordinal);
            return end < 0 ? html.Length : end + 3;
        }

        var nameStart = open + 1 + (open + 1 < html.Length && html[open + 1] == '/' ? 1 : 0);
        var nameEnd = nameStart;
        while (nameEnd < html.Length && char.IsAsciiLetterOrDigit(html[nameEnd]))
        {
            nameEnd++;
        }

        if (nameEnd == nameStart && (nameStart >= html.Length || (html[nameStart] != '!' && html[nameStart] != '?')))
        {
            // A '<' that starts no tag is text, as browsers show it.
            text.AppendDecoded("<");
            return open + 1;
        }

        var close = html.IndexOf('>', nameEnd);
        if (close < 0)
        {
            return html.Length;
        }

        var name = html[nameStart..nameEnd];
        var closing = nameStart == open + 2;
        if (Breaks.Contains(name))
        {
            text.LineBreak();
        }

        if (!closing && Hidden.Contains(name) && html[close - 1] != '/')
        {
            var end = html.IndexOf("</" + name, close + 1, StringComparison.OrdinalIgnoreCase);
            if (end < 0)
            {
                return html.Length;
            }

            var endClose = html.IndexOf('>', end);
            return endClose < 0 ? html.Length : endClose + 1;
        }

        return close + 1;
    }

    /// <summary>Collects text up to a limit, decoding entities, with one line break between blocks.</summary>
    private sealed class TextBuilder(int maxChars)
    {
        private readonly StringBuilder text = new();
        private bool pendingBreak;

        public void AppendDecoded(ReadOnlySpan<char> raw)
        {
            if (raw.IsWhiteSpace())
            {
                if (raw.Length > 0 && text.Length > 0 && !pendingBreak && !char.IsWhiteSpace(text[^1]))
                {
                    text.Append(' ');
                }

                return;
            }

            if (pendingBreak && text.Length > 0)
            {
                text.Append('\n');
            }

            pendingBreak = false;
            text.Append(raw.Contains('&') ? WebUtility.HtmlDecode(raw.ToString()) : raw);
            if (text.Length > maxChars)
            {
                throw ExtractionLimits.TooMuchText(maxChars);
            }
        }

        public void LineBreak() => pendingBreak = true;

        public override string ToString() => text.ToString().Trim();
    }
}

namespace AgentHost.Retrieval.Text;

/// <summary>
/// Turns text into BM25 terms: lower-cased letter/digit runs, English stop words dropped, light plural stemming.
/// The same analysis runs on chunks and queries, so the two always agree.
/// </summary>
internal static class TermAnalyzer
{
    public static List<string> Terms(string text)
    {
        var terms = new List<string>();
        Span<char> buffer = stackalloc char[64];
        var length = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (char.IsLetterOrDigit(c))
            {
                if (length < buffer.Length)
                {
                    buffer[length++] = char.ToLowerInvariant(c);
                }

                continue;
            }

            if (length > 0)
            {
                Add(terms, buffer[..length]);
                length = 0;
            }
        }

        return terms;
    }

    private static void Add(List<string> terms, ReadOnlySpan<char> word)
    {
        if (word.Length < 2 && !char.IsDigit(word[0]))
        {
            return;
        }

        var text = word.ToString();
        if (StopWords.Contains(text))
        {
            return;
        }

        terms.Add(Stemmer.Stem(text));
    }
}

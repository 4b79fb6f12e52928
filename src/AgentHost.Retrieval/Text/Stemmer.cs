namespace AgentHost.Retrieval.Text;

/// <summary>
/// Harman's S-stemmer: folds plurals ("queries" → "query", "indexes" → "index") without the over-stemming of
/// Porter, which merges unrelated words in short technical texts.
/// </summary>
internal static class Stemmer
{
    public static string Stem(string word)
    {
        if (word.Length <= 3 || !word.EndsWith('s'))
        {
            return word;
        }

        if (word.EndsWith("ies", StringComparison.Ordinal) && !word.EndsWith("eies", StringComparison.Ordinal) && !word.EndsWith("aies", StringComparison.Ordinal))
        {
            return word[..^3] + "y";
        }

        if (word.EndsWith("es", StringComparison.Ordinal) && !word.EndsWith("aes", StringComparison.Ordinal) && !word.EndsWith("ees", StringComparison.Ordinal) && !word.EndsWith("oes", StringComparison.Ordinal))
        {
            return word[..^1];
        }

        if (!word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("ss", StringComparison.Ordinal))
        {
            return word[..^1];
        }

        return word;
    }
}

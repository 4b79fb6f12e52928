using Microsoft.ML.Tokenizers;

namespace AgentHost.Retrieval.Chunking;

/// <summary>
/// Cuts text into windows of at most N o200k tokens that overlap by about M tokens. A window ends at the best
/// natural break in its last quarter (paragraph, then sentence, then word) so chunks rarely cut a sentence.
/// </summary>
internal static class TextChunker
{
    private static readonly Lazy<Tokenizer> Encoding = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    public static IReadOnlyList<TextChunk> Chunk(string text, int maxTokens, int overlapTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var tokens = Encoding.Value.EncodeToTokens(text, out _);
        var chunks = new List<TextChunk>();
        var start = 0;
        while (start < tokens.Count)
        {
            var end = Math.Min(start + maxTokens, tokens.Count);
            if (end < tokens.Count)
            {
                end = BestBreak(text, tokens, start + Math.Max(1, maxTokens * 3 / 4), end);
            }

            var from = tokens[start].Offset.Start.Value;
            var to = tokens[end - 1].Offset.End.Value;
            var slice = text[from..to];
            if (!string.IsNullOrWhiteSpace(slice))
            {
                chunks.Add(new TextChunk(chunks.Count, slice, end - start));
            }

            if (end >= tokens.Count)
            {
                break;
            }

            start = Math.Max(end - overlapTokens, start + 1);
        }

        return chunks;
    }

    /// <summary>The exclusive end in [min, max] that cuts at the strongest boundary, preferring later ones.</summary>
    private static int BestBreak(string text, IReadOnlyList<EncodedToken> tokens, int min, int max)
    {
        var best = max;
        var bestStrength = 0;
        for (var end = max; end >= min && end > 0; end--)
        {
            var strength = BoundaryStrength(text, tokens[end - 1].Offset.End.Value);
            if (strength > bestStrength)
            {
                (best, bestStrength) = (end, strength);
                if (strength == 3)
                {
                    break;
                }
            }
        }

        return best;
    }

    /// <summary>3 after a blank line, 2 after a sentence end, 1 between words, 0 inside a word.</summary>
    private static int BoundaryStrength(string text, int position)
    {
        if (position >= text.Length)
        {
            return 3;
        }

        if (!char.IsWhiteSpace(text[position]))
        {
            return position > 0 && char.IsWhiteSpace(text[position - 1]) ? 1 : 0;
        }

        if (text[position] == '\n' && position + 1 < text.Length && text[position + 1] == '\n')
        {
            return 3;
        }

        return position > 0 && text[position - 1] is '.' or '!' or '?' or ':' or ';' ? 2 : 1;
    }
}

using Microsoft.ML.Tokenizers;

namespace AgentHost.Core.Tokens;

/// <summary>
/// o200k_base, the encoding of current OpenAI models. Other vendors' tokenizers differ by a few percent,
/// which truncation absorbs through its reserve; exact usage always comes from the provider's response.
/// </summary>
public sealed class TiktokenCounter : ITokenCounter
{
    private static readonly Lazy<Tokenizer> Encoding = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    public int CountTokens(string text) => string.IsNullOrEmpty(text) ? 0 : Encoding.Value.CountTokens(text);
}

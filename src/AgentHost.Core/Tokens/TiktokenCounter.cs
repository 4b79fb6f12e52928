using Microsoft.ML.Tokenizers;

namespace AgentHost.Core.Tokens;

/// <summary>
/// o200k_base, the encoding of current OpenAI models, used for every model: other vendors' tokenizers differ by a few
/// percent, which truncation absorbs through its reserve; exact usage always comes from the provider's response. As the
/// count does not depend on the model, a text's count can be stored once and reused for any model (<see cref="Encoding"/>).
/// </summary>
public sealed class TiktokenCounter : ITokenCounter
{
    private static readonly Lazy<Tokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    public string Encoding => "o200k_base";

    public int CountTokens(string text) => string.IsNullOrEmpty(text) ? 0 : Tokenizer.Value.CountTokens(text);
}

namespace AgentHost.Core.Tokens;

/// <summary>Counts tokens the way the models bill them, closely enough for truncation and limits.</summary>
public interface ITokenCounter
{
    int CountTokens(string text);

    /// <summary>
    /// The name of the encoding this counter counts with, under which counts may be stored next to what they count and
    /// reused; null when counts must not be reused (they are then counted again whenever they are needed).
    /// </summary>
    string? Encoding => null;
}

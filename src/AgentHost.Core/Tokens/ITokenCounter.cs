namespace AgentHost.Core.Tokens;

/// <summary>Counts tokens the way the models bill them, closely enough for truncation and limits.</summary>
public interface ITokenCounter
{
    int CountTokens(string text);
}

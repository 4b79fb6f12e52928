namespace AgentHost.Core.Engine;

/// <summary>Even the smallest prompt the run could send exceeds its prompt budget.</summary>
internal sealed class PromptTooLongException(int needed, int budget)
    : Exception($"The prompt needs {needed} tokens but only {budget} are allowed.")
{
    public int Tokens { get; } = needed;

    public int Budget { get; } = budget;
}

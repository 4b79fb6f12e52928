namespace AgentHost.Core.Models;

/// <summary>
/// A model call failed for good (after retries and fallback). <see cref="Code"/> is one of
/// <see cref="Domain.RunErrorCodes"/>, so the run's <c>last_error</c> can say why.
/// </summary>
public sealed class ModelCallException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}

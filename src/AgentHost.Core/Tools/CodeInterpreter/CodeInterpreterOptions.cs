namespace AgentHost.Core.Tools.CodeInterpreter;

/// <summary>Thread sessions of the code interpreter (<c>AgentHost:CodeInterpreter</c>); sandbox limits are in <c>AgentHost:Sandbox</c>.</summary>
public sealed class CodeInterpreterOptions
{
    public const string SectionName = "AgentHost:CodeInterpreter";

    /// <summary>A thread's Python session is stopped after this long without a call; the next call starts a fresh one.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(1);
}

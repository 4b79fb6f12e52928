namespace AgentHost.Core.Tools.SubAssistants;

/// <summary>Settings of the <c>assistant</c> tool (<c>AgentHost:SubAssistants</c>).</summary>
public sealed class SubAssistantOptions
{
    public const string SectionName = "AgentHost:SubAssistants";

    /// <summary>How deep sub-assistants may nest (a parent's sub-assistant is depth 1).</summary>
    public int MaxDepth { get; set; } = 4;

    /// <summary>How long one sub-assistant call may run; past it the child ends failed and the parent reads the error.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
}

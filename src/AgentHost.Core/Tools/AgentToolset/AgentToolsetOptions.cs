namespace AgentHost.Core.Tools.AgentToolset;

/// <summary>Limits of the agent toolset's tools (<c>AgentHost:AgentToolset</c>).</summary>
public sealed class AgentToolsetOptions
{
    public const string SectionName = "AgentHost:AgentToolset";

    /// <summary>How long a <c>bash</c> command may run when the call gives no <c>timeout_ms</c>.</summary>
    public TimeSpan BashTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>The longest <c>timeout_ms</c> a call may ask for; longer ones are cut to this.</summary>
    public TimeSpan MaxBashTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How much of a command's output the model gets: the last this many bytes.</summary>
    public int BashOutputBytes { get; set; } = 100 * 1024;

    /// <summary>Files one <c>glob</c> lists, newest first.</summary>
    public int GlobLimit { get; set; } = 200;

    /// <summary>Matching lines one <c>grep</c> shows.</summary>
    public int GrepLimit { get; set; } = 250;

    /// <summary>Bytes of text one <c>read</c> or <c>grep</c> returns (also bounded by the sandbox's output limit).</summary>
    public int ReadOutputBytes { get; set; } = 256 * 1024;
}

namespace AgentHost.Core.Tools.AgentToolset;

/// <summary>The tools of <c>agent_toolset_20260401</c>, by the names the model calls them.</summary>
public static class AgentToolNames
{
    public const string Bash = "bash";
    public const string Read = "read";
    public const string Write = "write";
    public const string Edit = "edit";
    public const string Glob = "glob";
    public const string Grep = "grep";
    public const string WebFetch = "web_fetch";
    public const string WebSearch = "web_search";

    /// <summary>Every tool, in the order they are offered.</summary>
    public static IReadOnlyList<string> All { get; } = [Bash, Read, Write, Edit, Glob, Grep, WebFetch, WebSearch];

    /// <summary>The tools that run in the workspace's sandbox.</summary>
    public static bool RunsInWorkspace(string name) => name is Bash or Read or Write or Edit or Glob or Grep;
}

namespace AgentHost.Core.Events;

/// <summary>
/// A tool call the run waits on: <see cref="Kind"/> is <c>client_tool</c> (the client runs it and submits the output),
/// <c>mcp_approval</c> or <c>permission</c> (someone must approve or deny it).
/// </summary>
public sealed record PendingDecision(string CallId, string Kind, string ToolType, string Name, string Arguments)
{
    public const string ClientTool = "client_tool";
    public const string McpApproval = "mcp_approval";
    public const string Permission = "permission";
}

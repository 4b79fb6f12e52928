using System.Text.Json.Nodes;
using AgentHost.Core.Events;

namespace AgentHost.Server.Responses;

/// <summary>
/// A response listed the tools of an MCP server before its first model call (published by the Responses door, not the
/// engine): first as it starts (<see cref="Done"/> false, <see cref="Item"/> without tools), then with the listing.
/// Rendered as the <c>mcp_list_tools</c> output item and its <c>response.mcp_list_tools.*</c> events.
/// </summary>
internal sealed record McpToolsListed : AgentEvent
{
    /// <summary>The <c>mcp_list_tools</c> item: its tools, or its <c>error</c> when the server could not be listed.</summary>
    public required JsonObject Item { get; init; }

    public bool Done { get; init; }

    public bool Failed => Item["error"] is not null;
}

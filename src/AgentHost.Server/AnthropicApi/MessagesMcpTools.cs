using AgentHost.Core.Errors;
using AgentHost.Tools.Mcp;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// The MCP tools of one Messages call: each enabled tool of each <c>mcp_servers</c> entry, offered to the model as
/// <c>&lt;server&gt;__&lt;tool&gt;</c> beside the client's own tools, and mapped back to server and tool by that name.
/// </summary>
internal sealed class MessagesMcpTools
{
    private readonly Dictionary<string, (MessagesMcpServer Server, McpToolInfo Tool)> byOfferedName = new(StringComparer.Ordinal);

    private MessagesMcpTools()
    {
    }

    public static MessagesMcpTools Empty { get; } = new();

    public bool IsEmpty => byOfferedName.Count == 0;

    /// <summary>Lists each server's tools and adds the enabled ones to <paramref name="options"/>; a server that cannot be listed is a 400 naming it.</summary>
    public static async Task<MessagesMcpTools> ListAsync(IReadOnlyList<MessagesMcpServer> servers, McpToolbox toolbox, ChatOptions options, CancellationToken cancellationToken)
    {
        var tools = new MessagesMcpTools();
        var clientNames = (options.Tools ?? []).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < servers.Count; i++)
        {
            var server = servers[i];
            IReadOnlyList<McpToolInfo> listed;
            try
            {
                listed = await toolbox.ListToolsAsync(server.Server, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw ApiException.Invalid($"mcp_servers.{i}: Could not list the tools of MCP server '{server.Name}': {e.Message}", $"mcp_servers.{i}");
            }

            foreach (var tool in listed.Where(t => server.Offers(t.Name)))
            {
                if (clientNames.Contains(tool.OfferedName))
                {
                    throw ApiException.Invalid($"tools: the name '{tool.OfferedName}' is both a client tool and MCP server '{server.Name}''s tool '{tool.Name}'; rename the client tool.", "tools");
                }

                tools.byOfferedName[tool.OfferedName] = (server, tool);
            }
        }

        if (!tools.IsEmpty)
        {
            options.Tools = [.. options.Tools ?? [], .. tools.byOfferedName.Values.Select(t => AIFunctionFactory.CreateDeclaration(t.Tool.OfferedName, t.Tool.Description, t.Tool.InputSchema))];
        }

        return tools;
    }

    /// <summary>The server and tool the model called by <paramref name="offeredName"/>; false for a client tool.</summary>
    public bool TryGet(string offeredName, out MessagesMcpServer server, out McpToolInfo tool)
    {
        var found = byOfferedName.TryGetValue(offeredName, out var entry);
        (server, tool) = entry;
        return found;
    }
}

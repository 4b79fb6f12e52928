using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace AgentHost.Server.Mcp;

/// <summary>
/// The tools <c>/mcp</c> serves: <c>file_search</c>, <c>code_interpreter</c> and every assistant. A call that cannot be
/// served as asked returns <c>isError</c> with a message the calling model can act on; an unknown tool is a protocol error.
/// </summary>
internal sealed partial class McpEndpointTools(FileSearchMcpTool fileSearch, CodeInterpreterMcpTool codeInterpreter, AssistantMcpTool assistants,
    ILogger<McpEndpointTools> logger)
{
    public async ValueTask<ListToolsResult> ListAsync(RequestContext<ListToolsRequestParams> request, CancellationToken cancellationToken) =>
        new() { Tools = [FileSearchMcpTool.Definition, CodeInterpreterMcpTool.Definition, .. await assistants.ListAsync(cancellationToken)] };

    public async ValueTask<CallToolResult> CallAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var name = request.Params?.Name ?? throw new McpProtocolException("tools/call needs a tool name.", McpErrorCode.InvalidParams);
        var arguments = request.Params.Arguments;
        try
        {
            return name switch
            {
                FileSearchMcpTool.Name => await fileSearch.CallAsync(arguments, cancellationToken),
                CodeInterpreterMcpTool.Name => await codeInterpreter.CallAsync(request.Server.SessionId, arguments, cancellationToken),
                _ when AssistantMcpTool.Names(name) => await assistants.CallAsync(name, arguments, cancellationToken),
                _ => throw new McpProtocolException($"Unknown tool: '{name}'. tools/list names the tools of this server.", McpErrorCode.InvalidParams),
            };
        }
        catch (McpToolCallException e)
        {
            LogRefused(logger, name, e.Message);
            return new CallToolResult { Content = [new TextContentBlock { Text = e.Message }], IsError = true };
        }
    }

    [LoggerMessage(EventId = 1256, Level = LogLevel.Information, Message = "MCP call of {Tool} returned an error: {Reason}")]
    private static partial void LogRefused(ILogger logger, string tool, string reason);
}

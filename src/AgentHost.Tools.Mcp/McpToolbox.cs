using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace AgentHost.Tools.Mcp;

/// <summary>
/// MCP servers for front doors that run the tool loop themselves (<c>/v1/messages</c> with <c>mcp_servers</c>, the
/// Responses API's <c>mcp</c> tool): check a server reference, list its tools under the names the model is offered,
/// and call one. Servers are the shared connections of <see cref="McpServers"/>; a request never starts a process.
/// </summary>
public sealed partial class McpToolbox
{
    private readonly McpServers servers;
    private readonly McpResultMapper results;
    private readonly TimeProvider time;
    private readonly Microsoft.Extensions.Logging.ILogger logger;

    internal McpToolbox(McpServers servers, McpResultMapper results, TimeProvider time, Microsoft.Extensions.Logging.ILogger<McpToolbox> logger)
    {
        this.servers = servers;
        this.results = results;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>
    /// Null when a request may use <paramref name="server"/>: a configured label (with no URL, or its own URL, and no
    /// headers), or an allowed remote URL. Otherwise which part is wrong and why.
    /// </summary>
    public McpServerRefusal? Refusal(McpServerReference server)
    {
        if (servers.Configured(server.Label) is not null)
        {
            if (server.Url is not null && !string.Equals(server.Url, servers.ConfiguredUrl(server.Label), StringComparison.Ordinal))
            {
                return new("url", $"'{server.Url}' is not the URL of the configured server '{server.Label}'; leave it out to use it.");
            }

            return server.Headers.Count > 0
                ? new("headers", $"the configured server '{server.Label}' uses the credentials its configuration gives; send none.")
                : null;
        }

        if (server.Url is null)
        {
            var known = servers.Labels.Count == 0 ? "none is configured (AgentHost:Mcp:Servers)" : "configured: " + string.Join(", ", servers.Labels.Select(l => $"'{l}'"));
            return new("label", $"there is no MCP server '{server.Label}'; {known}.");
        }

        return servers.IsAllowedUrl(server.Url)
            ? null
            : new("url", $"'{server.Url}' is not an allowed MCP server URL; the operator allows remote servers with AgentHost:Mcp:AllowedUrls.");
    }

    /// <summary>
    /// Reads an <c>mcp</c> tool definition in the Responses API's shape into the server it names, checked as
    /// <see cref="Refusal"/> does; throws an <c>ApiException</c> naming the field (under <paramref name="parameter"/>).
    /// </summary>
    public McpServerReference Read(AgentHost.Core.Domain.ToolDefinition definition, string parameter)
    {
        var settings = McpToolSettings.Read(definition, parameter);
        var server = new McpServerReference(settings.Label, settings.Url) { Headers = settings.Headers, Description = settings.Description };
        return Refusal(server) is { } refusal
            ? throw McpToolSettings.Invalid(parameter, refusal.Part switch { "label" => "server_label", "url" => "server_url", _ => "headers" }, refusal.Message)
            : server;
    }

    /// <summary>Whether the definition's <c>allowed_tools</c> lets the model see <paramref name="tool"/>.</summary>
    public static bool Offers(AgentHost.Core.Domain.ToolDefinition definition, McpToolInfo tool)
    {
        var settings = McpToolSettings.Of(definition);
        return (settings.AllowedTools is null || settings.AllowedTools.Contains(tool.Name)) && (!settings.ReadOnlyOnly || tool.ReadOnly);
    }

    /// <summary>
    /// Whether the definition's <c>allowed_tools</c> names <paramref name="tool"/> (the server's name), or names none.
    /// A <c>read_only</c> filter needs the server's annotations, which <see cref="Offers"/> checks.
    /// </summary>
    public static bool Allows(AgentHost.Core.Domain.ToolDefinition definition, string tool) =>
        McpToolSettings.Of(definition).AllowedTools is not { } allowed || allowed.Contains(tool);

    /// <summary>The <c>server_label</c> of an <c>mcp</c> tool definition already checked.</summary>
    public static string LabelOf(AgentHost.Core.Domain.ToolDefinition definition) => McpToolSettings.Of(definition).Label;

    /// <summary>Whether the definition's <c>require_approval</c> asks the caller before <paramref name="tool"/> (the server's name) is called.</summary>
    public static bool RequiresApproval(AgentHost.Core.Domain.ToolDefinition definition, string tool) => McpToolSettings.Of(definition).Approval.Requires(tool);

    /// <summary>True when <paramref name="label"/> is a configured server; <paramref name="url"/> is its URL (null for a stdio server).</summary>
    public bool IsConfigured(string label, out string? url)
    {
        url = servers.Configured(label) is null ? null : servers.ConfiguredUrl(label);
        return servers.Configured(label) is not null;
    }

    /// <summary>The server's tools (at most <c>MaxToolsPerServer</c>), from its cached list. Throws when the server cannot be reached.</summary>
    public async Task<IReadOnlyList<McpToolInfo>> ListToolsAsync(McpServerReference server, CancellationToken cancellationToken)
    {
        var connection = Connection(server);
        var tools = await connection.ToolsAsync(cancellationToken);
        var prefix = server.Description ?? connection.Description;
        return [.. tools.Take(servers.Options.MaxToolsPerServer).Select(tool => new McpToolInfo(
            tool.Name,
            McpToolNames.For(server.Label, tool.Name),
            string.IsNullOrEmpty(prefix) ? tool.Description : $"[{server.Label}: {prefix}] {tool.Description}",
            tool.JsonSchema)
        {
            ReadOnly = tool.ProtocolTool.Annotations?.ReadOnlyHint == true,
            Annotations = tool.ProtocolTool.Annotations is { } annotations
                ? JsonSerializer.SerializeToElement(annotations, McpJsonUtilities.DefaultOptions.GetTypeInfo(annotations.GetType()))
                : null,
        })];
    }

    /// <summary>
    /// Calls <paramref name="tool"/> (the server's name for it) with <paramref name="arguments"/> (a JSON object).
    /// Never throws for the server's or the call's failure: that is the result's <see cref="McpToolCallResult.Error"/>.
    /// </summary>
    public async Task<McpToolCallResult> CallAsync(McpServerReference server, string tool, string arguments, CancellationToken cancellationToken)
    {
        var record = new McpCallRecord { ServerLabel = server.Label, Name = tool, Arguments = string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments };
        var started = time.GetTimestamp();
        try
        {
            var timeout = servers.Options.Servers.GetValueOrDefault(server.Label)?.CallTimeout ?? servers.Options.CallTimeout;
            var result = await Connection(server).CallAsync(tool, McpToolSource.Arguments(record.Arguments), new Progress<ProgressNotificationValue>(), timeout, cancellationToken);
            record = await results.MapAsync(record, result, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCallFailed(logger, server.Label, tool, e.Message);
            record = record with { Error = McpToolSource.ErrorOf(record, e), ErrorCode = McpToolSource.ErrorCodeOf(e) };
        }

        record = record with { DurationMs = (long)time.GetElapsedTime(started).TotalMilliseconds };
        var images = (record.Content ?? [])
            .Where(c => c is { Type: "image", Data: not null, MimeType: not null })
            .Select(c => new Microsoft.Extensions.AI.DataContent(Convert.FromBase64String(c.Data!), c.MimeType!))
            .ToList();
        return new McpToolCallResult(record.Error is { } error ? "Error: " + error : record.Output ?? string.Empty, record.Error, record.IsError)
        {
            StructuredContent = record.StructuredContent,
            DurationMs = record.DurationMs ?? 0,
            Images = images,
            Record = record.ToElement(),
        };
    }

    /// <summary>The name the model is offered for <paramref name="tool"/> of the server labelled <paramref name="label"/>: <c>&lt;label&gt;__&lt;tool&gt;</c>, cleaned and cut as needed.</summary>
    public static string OfferedName(string label, string tool) => McpToolNames.For(label, tool);

    /// <summary>The tool a model called by its offered name, among <paramref name="tools"/>; null when it is none of them.</summary>
    public static McpToolInfo? Find(IEnumerable<McpToolInfo> tools, string offeredName) => tools.FirstOrDefault(t => t.OfferedName == offeredName);

    private McpServerConnection Connection(McpServerReference server) =>
        servers.Configured(server.Label) ?? servers.Remote(server.Label, server.Url!, server.Headers, server.Description);

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 1233, Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "MCP call {Label}/{Tool} failed: {Reason}")]
    private static partial void LogCallFailed(Microsoft.Extensions.Logging.ILogger logger, string label, string tool, string reason);
}

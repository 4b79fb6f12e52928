using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Errors;
using AgentHost.Core.Events;
using AgentHost.Core.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace AgentHost.Tools.Mcp;

/// <summary>
/// The <c>mcp</c> tool: each tool of the named server is offered to the model as <c>&lt;label&gt;__&lt;tool&gt;</c>
/// (see <see cref="McpToolNames"/>); calls go to the shared server connection, ask for approval first when
/// <c>require_approval</c> says so, and are recorded as <c>mcp</c> step calls. An unreachable server or a failing
/// call is an error the model reads; the run goes on.
/// </summary>
internal sealed partial class McpToolSource(McpServers servers, McpResultMapper results, McpToolbox toolbox, IRunEventSink events, TimeProvider time, ILogger<McpToolSource> logger)
    : IToolSource
{
    public const string Type = "mcp";
    public const string ApprovalFunction = "mcp_approval";

    public IReadOnlyCollection<string> Types { get; } = [Type];

    /// <summary>The function offered in place of a server's tools when the server cannot be reached and was never listed.</summary>
    public const string UnavailableTool = "unavailable";

    private static readonly JsonElement EmptySchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    public ToolDefinition Validate(ToolDefinition definition, string parameter)
    {
        var settings = McpToolSettings.Read(definition, parameter);
        if (toolbox.Refusal(new McpServerReference(settings.Label, settings.Url) { Headers = settings.Headers }) is { } refusal)
        {
            throw McpToolSettings.Invalid(parameter, refusal.Part switch { "label" => "server_label", "url" => "server_url", _ => "headers" }, refusal.Message);
        }

        return definition;
    }

    public async ValueTask<IReadOnlyList<AIFunctionDeclaration>> DeclareAsync(ThreadRun run, ToolDefinition definition, CancellationToken cancellationToken)
    {
        var settings = McpToolSettings.Of(definition);
        IReadOnlyList<McpClientTool> tools;
        try
        {
            tools = await Connection(settings).ToolsAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The model still sees the server: its tools as last listed (a call then returns why the server is
            // unavailable, in that step), or, never listed, one function whose description and result say why.
            LogUnavailable(logger, settings.Label, e.Message);
            if (Connection(settings).LastKnownTools is not { } known)
            {
                return [AIFunctionFactory.CreateDeclaration(McpToolNames.For(settings.Label, UnavailableTool),
                    $"The MCP server '{settings.Label}' is unavailable: {e.Message} Calling this function returns that error.", EmptySchema)];
            }

            tools = known;
        }

        var offered = Offered(settings, tools).ToList();
        if (offered.Count > servers.Options.MaxToolsPerServer)
        {
            LogTooManyTools(logger, settings.Label, offered.Count, servers.Options.MaxToolsPerServer);
            offered = offered[..servers.Options.MaxToolsPerServer];
        }

        var prefix = settings.Description ?? Connection(settings).Description;
        return [.. offered.Select(tool => AIFunctionFactory.CreateDeclaration(
            McpToolNames.For(settings.Label, tool.Name),
            string.IsNullOrEmpty(prefix) ? tool.Description : $"[{settings.Label}: {prefix}] {tool.Description}",
            tool.JsonSchema))];
    }

    public async Task<ToolCallOutcome> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var settings = McpToolSettings.Of(invocation.Definition);
        var record = McpCallRecord.From(invocation.Approved?.Details) ?? new McpCallRecord
        {
            ServerLabel = settings.Label,
            Name = await ToolNameOfAsync(settings, invocation.Name, cancellationToken),
            Arguments = invocation.Arguments,
        };

        if (record.Name == UnavailableTool && Connection(settings).LastKnownTools?.Any(t => t.Name == UnavailableTool) != true)
        {
            return new ToolCallOutcome(Step(invocation.CallId, record with { Error = await UnavailableAsync(settings, record, cancellationToken) }));
        }

        if (invocation.Approved is null && settings.Approval.Requires(record.Name))
        {
            var request = new JsonObject
            {
                ["server"] = record.ServerLabel,
                ["tool"] = record.Name,
                ["arguments"] = ParseObject(record.Arguments),
            };
            return new ToolCallOutcome(Step(invocation.CallId, record with { Approval = "pending" }))
            {
                Approval = new ToolApprovalRequest(ApprovalFunction, ApprovalFunction, request.ToJsonString()),
            };
        }

        var started = time.GetTimestamp();
        Publish(invocation, new JsonObject { ["server_label"] = record.ServerLabel, ["name"] = record.Name });
        var progress = new LastProgress(value => Publish(invocation, new JsonObject
        {
            ["progress"] = new JsonObject { ["progress"] = value.Progress, ["total"] = value.Total, ["message"] = value.Message },
        }));
        try
        {
            var connection = Connection(settings);
            var timeout = servers.Options.Servers.GetValueOrDefault(settings.Label)?.CallTimeout ?? servers.Options.CallTimeout;
            var result = await connection.CallAsync(record.Name, Arguments(record.Arguments), progress, timeout, cancellationToken);
            record = await results.MapAsync(record, result, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCallFailed(logger, record.ServerLabel, record.Name, e.Message);
            record = record with { Error = ErrorOf(record, e), ErrorCode = ErrorCodeOf(e) };
        }

        return new ToolCallOutcome(Step(invocation.CallId, record with
        {
            Progress = progress.Value,
            DurationMs = (long)time.GetElapsedTime(started).TotalMilliseconds,
        }));
    }

    public ToolCallView Describe(StepToolCall call)
    {
        var record = McpCallRecord.From(call.Details);
        if (record is null)
        {
            return new ToolCallView(Type, "{}", "(no record of this call)") { IsError = true };
        }

        var name = McpToolNames.For(record.ServerLabel, record.Name);
        var output = record.Error is { } error ? "Error: " + error : record.Output ?? string.Empty;
        var media = (record.Content ?? [])
            .Where(c => c is { Type: "image", Data: not null, MimeType: not null })
            .Select(c => (AIContent)new DataContent(Convert.FromBase64String(c.Data!), c.MimeType!))
            .ToList();
        return new ToolCallView(name, record.Arguments, output) { IsError = record.Error is not null || record.IsError, Media = media };
    }

    public StepToolCall Decide(StepToolCall call, ToolDecision decision)
    {
        var record = McpCallRecord.From(call.Details) ?? throw ApiException.Invalid($"Tool call '{call.Id}' has no MCP record to decide on.", "tool_outputs");
        if (record.Approval != "pending")
        {
            return call;
        }

        return Step(call.Id, decision.Approved
            ? record with { Approval = "approved" }
            : record with { Approval = "denied", Error = "The user denied this call" + (decision.Reason is { } reason ? ": " + reason : ".") });
    }

    public bool AwaitsExecution(StepToolCall call) =>
        McpCallRecord.From(call.Details) is { Approval: "approved", Output: null, Error: null };

    /// <summary>What a call of the stand-in for an unavailable server returns: why it is still unavailable, or that it is back.</summary>
    private async Task<string> UnavailableAsync(McpToolSettings settings, McpCallRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await Connection(settings).ToolsAsync(cancellationToken);
            return $"The MCP server '{settings.Label}' is reachable again; its tools are offered from the next model call.";
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return ErrorOf(record, e);
        }
    }

    private McpServerConnection Connection(McpToolSettings settings) =>
        servers.Configured(settings.Label) ?? servers.Remote(settings.Label, settings.Url!, settings.Headers, settings.Description);

    private static IEnumerable<McpClientTool> Offered(McpToolSettings settings, IReadOnlyList<McpClientTool> tools) => tools.Where(tool =>
        (settings.AllowedTools is null || settings.AllowedTools.Contains(tool.Name))
        && (!settings.ReadOnlyOnly || tool.ProtocolTool.Annotations?.ReadOnlyHint == true));

    /// <summary>The server's name for the tool the model called: the one whose offered name matches.</summary>
    private async Task<string> ToolNameOfAsync(McpToolSettings settings, string offeredName, CancellationToken cancellationToken)
    {
        var prefix = settings.Label + "__";
        if (offeredName.StartsWith(prefix, StringComparison.Ordinal) && McpToolNames.For(settings.Label, offeredName[prefix.Length..]) == offeredName)
        {
            return offeredName[prefix.Length..];
        }

        // A changed name (hashed): find it among the tools, which are cached from the declaration just made.
        try
        {
            var tools = await Connection(settings).ToolsAsync(cancellationToken);
            return tools.FirstOrDefault(t => McpToolNames.For(settings.Label, t.Name) == offeredName)?.Name ?? offeredName;
        }
        catch (McpServerUnavailableException)
        {
            return offeredName;
        }
    }

    internal static string ErrorOf(McpCallRecord record, Exception e) => e switch
    {
        McpServerUnavailableException => e.Message,
        TimeoutException => e.Message,
        McpProtocolException protocol => $"The MCP server '{record.ServerLabel}' refused the call to '{record.Name}': {protocol.Message}",
        McpException => $"The call to '{record.Name}' on MCP server '{record.ServerLabel}' failed: {e.Message}",
        _ => $"The call to '{record.Name}' on MCP server '{record.ServerLabel}' failed ({e.GetType().Name}): {e.Message}",
    };

    /// <summary>The JSON-RPC error code of a call the server refused with a protocol error; null for any other failure.</summary>
    internal static int? ErrorCodeOf(Exception e) => e is McpProtocolException protocol ? (int)protocol.ErrorCode : null;

    internal static StepToolCall Step(string callId, McpCallRecord record) => new() { Id = callId, Type = Type, Details = record.ToElement() };

    private static JsonNode ParseObject(string arguments)
    {
        try
        {
            return JsonNode.Parse(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments) ?? new JsonObject();
        }
        catch (JsonException)
        {
            return JsonValue.Create(arguments);
        }
    }

    internal static Dictionary<string, object?> Arguments(string arguments)
    {
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal)
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>Streams a step delta for the call (<c>thread.run.step.delta</c> with <c>"mcp": {…}</c>).</summary>
    private void Publish(ToolInvocation invocation, JsonObject detail) => events.Publish(new ToolCallProgress
    {
        RunId = invocation.Run.Id, StepId = invocation.StepId, Index = invocation.Index, CallId = invocation.CallId, ToolType = Type, OutputIndex = 0,
        Detail = JsonSerializer.SerializeToElement(detail, McpJsonContext.Default.JsonObject),
    });

    /// <summary>Keeps the last progress notification of a call, for its step, and streams each one.</summary>
    private sealed class LastProgress(Action<McpProgress> streamed) : IProgress<ProgressNotificationValue>
    {
        public McpProgress? Value { get; private set; }

        public void Report(ProgressNotificationValue value)
        {
            Value = new McpProgress(value.Progress, value.Total, value.Message);
            streamed(Value);
        }
    }

    [LoggerMessage(EventId = 1230, Level = LogLevel.Warning, Message = "MCP server '{Label}' offers no tools to this run: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string label, string reason);

    [LoggerMessage(EventId = 1231, Level = LogLevel.Warning, Message = "MCP server '{Label}' has {Count} tools; only the first {Max} are offered (AgentHost:Mcp:MaxToolsPerServer)")]
    private static partial void LogTooManyTools(ILogger logger, string label, int count, int max);

    [LoggerMessage(EventId = 1232, Level = LogLevel.Information, Message = "MCP call {Label}/{Tool} failed: {Reason}")]
    private static partial void LogCallFailed(ILogger logger, string label, string tool, string reason);
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Storage;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace AgentHost.Server.Mcp;

/// <summary>
/// Each assistant as a <c>/mcp</c> tool named by its id: a call starts a run of the assistant on a fresh thread
/// through the durable run engine (so it is traced, priced and budgeted like any run) and returns the assistant's
/// answer, with the thread, run, usage and cost as structured content.
/// </summary>
internal sealed partial class AssistantMcpTool(
    IAgentStore store, RunService runs, RunEventHub hub, IOptions<McpEndpointOptions> options, TimeProvider time, ILogger<AssistantMcpTool> logger)
{
    /// <summary>Run metadata marking runs started through <c>/mcp</c>.</summary>
    public const string SourceMetadataKey = "agenthost_source";

    private static readonly JsonElement InputSchema = JsonOf("""
        {"type":"object","properties":{"message":{"type":"string","description":"What to ask or tell the assistant."}},"required":["message"],"additionalProperties":false}
        """);

    private static readonly JsonElement OutputSchema = JsonOf("""
        {"type":"object","properties":{"answer":{"type":"string"},"thread_id":{"type":"string"},"run_id":{"type":"string"},"status":{"type":"string"},
         "usage":{"type":["object","null"]},"cost_usd":{"type":["number","null"]}},"required":["answer","thread_id","run_id","status"]}
        """);

    /// <summary>The newest assistants (at most <see cref="McpEndpointOptions.MaxAssistantTools"/>) as tools.</summary>
    public async Task<IReadOnlyList<Tool>> ListAsync(CancellationToken cancellationToken)
    {
        var page = await store.ListAssistantsAsync(new ListQuery { Limit = Math.Clamp(options.Value.MaxAssistantTools, 1, 100) }, cancellationToken);
        return [.. page.Data.Select(Definition)];
    }

    /// <summary>True for a name that is an assistant's id (a tool of this kind).</summary>
    public static bool Names(string tool) => tool.StartsWith("asst_", StringComparison.Ordinal);

    public async Task<CallToolResult> CallAsync(string assistantId, IDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken)
    {
        var message = new McpToolArguments(assistantId, arguments).Allow("message").RequiredString("message");
        _ = await store.GetAssistantAsync(assistantId, cancellationToken) ?? throw new McpToolCallException($"There is no assistant '{assistantId}'.");

        var runId = IdGenerator.Run();
        using var subscription = hub.Subscribe(runId);
        var newThread = new NewThread(
            [new NewMessage(MessageRoles.User, [MessageContent.FromText(message)], [], null)],
            null,
            new Dictionary<string, string> { [SourceMetadataKey] = "mcp" });
        var (thread, run) = await runs.CreateThreadAndRunAsync(newThread, new RunRequest
        {
            AssistantId = assistantId,
            Metadata = new Dictionary<string, string> { [SourceMetadataKey] = "mcp" },
        }, runId, cancellationToken);
        runs.Start(runId);
        LogStarted(logger, assistantId, runId);

        using var deadline = new CancellationTokenSource(options.Value.AssistantTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            run = await WaitAsync(thread.Id, runId, subscription, linked.Token);
        }
        catch (OperationCanceledException)
        {
            await CancelQuietlyAsync(thread.Id, runId);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new McpToolCallException(
                $"The assistant did not answer within {options.Value.AssistantTimeout} (AgentHost:McpEndpoint:AssistantTimeout); its run {runId} on thread {thread.Id} was cancelled.");
        }

        if (run.Status == RunStatus.RequiresAction)
        {
            var asked = string.Join(", ", run.RequiredAction?.SubmitToolOutputs.ToolCalls.Select(c => c.Function.Name).Distinct() ?? []);
            await CancelQuietlyAsync(thread.Id, runId);
            throw new McpToolCallException(
                $"The assistant stopped to wait for {asked} (a function tool or an approval), which a call through /mcp cannot answer; its run {runId} on thread {thread.Id} was cancelled.");
        }

        var answer = await AnswerAsync(thread.Id, runId, cancellationToken);
        var failed = run.Status != RunStatus.Completed;
        var text = failed
            ? $"The assistant's run {runId} ended {run.Status}" + (run.LastError is { } error ? $": {error.Message}" : run.IncompleteDetails is { } incomplete ? $" ({incomplete.Reason})" : ".")
                + (answer.Length > 0 ? "\n\nWhat it wrote:\n" + answer : string.Empty)
            : answer;
        var structured = new JsonObject
        {
            ["answer"] = answer,
            ["thread_id"] = thread.Id,
            ["run_id"] = runId,
            ["status"] = run.Status,
            ["usage"] = run.Usage is { } usage
                ? new JsonObject { ["prompt_tokens"] = usage.PromptTokens, ["completion_tokens"] = usage.CompletionTokens, ["total_tokens"] = usage.TotalTokens }
                : null,
            ["cost_usd"] = run.Cost?.TotalUsd,
        };
        return new CallToolResult { Content = [new TextContentBlock { Text = text }], StructuredContent = JsonOf(structured.ToJsonString()), IsError = failed };
    }

    private static Tool Definition(Assistant assistant) => new()
    {
        Name = assistant.Id,
        Title = assistant.Name ?? assistant.Id,
        Description = $"Asks the AgentHost assistant '{assistant.Name ?? assistant.Id}' ({assistant.Model}) and returns its answer. It starts with a fresh conversation each call."
            + (string.IsNullOrWhiteSpace(assistant.Description) ? string.Empty : " " + assistant.Description),
        InputSchema = InputSchema,
        OutputSchema = OutputSchema,
        Annotations = new ToolAnnotations { ReadOnlyHint = false, DestructiveHint = false, OpenWorldHint = true },
    };

    /// <summary>Follows the run's events until it ends or pauses; the store is read after each pause, so a missed event only costs a short wait.</summary>
    private async Task<ThreadRun> WaitAsync(string threadId, string runId, RunSubscription subscription, CancellationToken cancellationToken)
    {
        while (true)
        {
            var ended = false;
            await foreach (var _ in subscription.ReadUntilPauseAsync(cancellationToken))
            {
                ended = true;
            }

            var run = await runs.GetRunAsync(threadId, runId, cancellationToken);
            if (RunStatus.IsTerminal(run.Status) || run.Status == RunStatus.RequiresAction)
            {
                return run;
            }

            if (!ended)
            {
                // The subscription closed without the end (e.g. the run moved to another node): poll the store.
                await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
            }
        }
    }

    /// <summary>The text of the assistant messages the run wrote, in order.</summary>
    private async Task<string> AnswerAsync(string threadId, string runId, CancellationToken cancellationToken)
    {
        var page = await store.ListMessagesAsync(threadId, new ListQuery { Limit = 100, Ascending = true }, runId, cancellationToken);
        var answer = new StringBuilder();
        foreach (var part in page.Data.Where(m => m.Role == MessageRoles.Assistant).SelectMany(m => m.Content))
        {
            if (part.Text is { } text)
            {
                answer.Append(answer.Length > 0 ? "\n\n" : string.Empty).Append(text.Value);
            }
        }

        return answer.ToString();
    }

    private async Task CancelQuietlyAsync(string threadId, string runId)
    {
        try
        {
            await runs.CancelRunAsync(threadId, runId, CancellationToken.None);
        }
        catch (Exception e) when (e is AgentHost.Core.Errors.ApiException)
        {
            // It ended meanwhile.
        }
    }

    private static JsonElement JsonOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [LoggerMessage(EventId = 1255, Level = LogLevel.Information, Message = "MCP call of assistant {AssistantId} started run {RunId}")]
    private static partial void LogStarted(ILogger logger, string assistantId, string runId);
}

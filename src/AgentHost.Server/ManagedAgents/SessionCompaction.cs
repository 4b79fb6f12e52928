using System.Text;
using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.ManagedAgents;
using AgentHost.Core.Models;
using AgentHost.Core.Observability;
using AgentHost.Core.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// Reads a turn's history from the session's log, starting at its latest compaction, and compacts it when it nears the
/// model's context window: the turns before this one are summarised by the turn's model (a model call of the turn,
/// traced, priced and within the session budget), an <c>agent.thread_context_compacted</c> event keeps the summary, and
/// the history becomes the summary followed by this turn. When the summary cannot be made (the upstream fails, the
/// budget is spent) the engine's truncation drops the oldest turns instead.
/// </summary>
internal sealed partial class SessionCompaction(IManagedAgentStore store, SessionEventLog log, IModelRouter models, ITokenCounter tokens,
    RunEngineOptions engine, IOptions<ManagedAgentsOptions> options, ILogger<SessionCompaction> logger)
{
    private const string SummaryPrompt =
        "The transcript above is the earlier part of a working session between a user and you, an agent with tools. Summarise it for " +
        "your own later use, as the session's history will be replaced by your summary: keep every fact, decision, instruction, open " +
        "question, file path and tool result that matters for continuing the work, in the order they arose. Write only the summary.";

    private const string SummaryIntroduction = "The earlier part of this session was compacted. A summary of it:\n\n";

    /// <summary>The history before <paramref name="run"/>'s own output, compacted first when it is too large.</summary>
    public async Task<LoadedHistory> LoadAsync(string sessionId, ThreadRun run, CancellationToken cancellationToken)
    {
        var latest = await store.ListEventsAsync(sessionId, new SessionEventQuery { Ascending = false, Limit = 1, Types = [SessionCompactionRecord.EventType] },
            cancellationToken);
        var compacted = latest.Data.Count > 0 ? SessionCompactionRecord.Of(latest.Data[0]) : null;
        var events = await store.EventsAfterAsync(sessionId, compacted?.ThroughSequence ?? 0, cancellationToken);
        var through = events.Count > 0 ? events[^1].Sequence : compacted?.ThroughSequence ?? 0;
        var messages = Conversation(compacted, events, run.Id);

        // Only the turns before this one are summarised: this turn's messages stay as they are.
        var split = events.ToList().FindIndex(e => e.RunId == run.Id);
        if (Measure(run, messages) <= Threshold(run) || split <= 0)
        {
            return new LoadedHistory(messages, through);
        }

        var older = Conversation(compacted, events.Take(split).ToList(), run.Id);
        if (older.Count == 0 || await SummariseAsync(sessionId, run, older, cancellationToken) is not { } summary)
        {
            return new LoadedHistory(messages, through);
        }

        var record = new SessionCompactionRecord(summary, events[split - 1].Sequence);
        var appended = await log.AppendAsync(sessionId, run.Id, cancellationToken, record.AttachTo(log.New(SessionCompactionRecord.EventType)));
        LogCompacted(logger, sessionId, run.Id, messages.Count, record.ThroughSequence);
        return new LoadedHistory(Conversation(record, events.Skip(split).ToList(), run.Id), appended[^1].Sequence);
    }

    /// <summary>The history tokens that trigger compaction for <paramref name="run"/>'s model.</summary>
    private int Threshold(ThreadRun run) => options.Value.CompactAtTokens
        ?? (int)(options.Value.CompactionThreshold * (engine.ContextWindowFor(run.Model) - Math.Min(engine.OutputReserveTokens, run.MaxCompletionTokens ?? int.MaxValue)));

    private static List<ChatMessage> Conversation(SessionCompactionRecord? compacted, IReadOnlyList<SessionEventRecord> events, string runId)
    {
        var messages = SessionConversation.Before(events, runId);
        if (compacted is not null)
        {
            messages.Insert(0, new ChatMessage(ChatRole.User, SummaryIntroduction + compacted.Summary));
        }

        return messages;
    }

    private async Task<string?> SummariseAsync(string sessionId, ThreadRun run, IReadOnlyList<ChatMessage> older, CancellationToken cancellationToken)
    {
        // The older turns go to the model as one transcript, so no provider sees tool calls without their tools' definitions.
        var prompt = new ChatMessage(ChatRole.User, Transcript(older) + "\n\n" + SummaryPrompt);
        var chatOptions = ModelCallScope.ForRun(run, Measure(run, [prompt])).AttachTo(new ChatOptions { ModelId = run.Model });
        try
        {
            var answer = await models.GetClient(run.Model).GetResponseAsync([prompt], chatOptions, cancellationToken);
            return string.IsNullOrWhiteSpace(answer.Text) ? null : answer.Text.Trim();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSummaryFailed(logger, sessionId, run.Id, exception);
            return null;
        }
    }

    private static string Transcript(IReadOnlyList<ChatMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                var line = content switch
                {
                    TextContent { Text.Length: > 0 } said => $"{(message.Role == ChatRole.User ? "User" : "Agent")}: {said.Text}",
                    FunctionCallContent call => $"Agent called {call.Name} ({call.CallId}) with {JsonSerializer.Serialize(call.Arguments, ManagedAgentsJsonContext.Default.IDictionaryStringObject)}",
                    FunctionResultContent result => $"Result of {result.CallId}: {result.Result}",
                    DataContent or UriContent => $"{(message.Role == ChatRole.User ? "User" : "Agent")}: [an image]",
                    _ => null,
                };
                if (line is not null)
                {
                    text.Append(line).Append("\n\n");
                }
            }
        }

        return text.ToString().TrimEnd();
    }

    private int Measure(ThreadRun run, IReadOnlyList<ChatMessage> messages)
    {
        var total = string.IsNullOrEmpty(run.Instructions) ? 0 : tokens.CountTokens(run.Instructions);
        foreach (var message in messages)
        {
            total += 4;
            foreach (var content in message.Contents)
            {
                total += content switch
                {
                    TextContent text => tokens.CountTokens(text.Text),
                    FunctionCallContent call => tokens.CountTokens(call.Name) + tokens.CountTokens(JsonSerializer.Serialize(call.Arguments, ManagedAgentsJsonContext.Default.IDictionaryStringObject)),
                    FunctionResultContent result => tokens.CountTokens(result.Result?.ToString() ?? string.Empty),
                    UriContent or DataContent => 765,
                    _ => 0,
                };
            }
        }

        return total;
    }

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "Session {SessionId}'s turn {RunId}: its history ({Messages} messages) neared the context window and was compacted through event {Through}")]
    private static partial void LogCompacted(ILogger logger, string sessionId, string runId, int messages, long through);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Warning, Message = "Session {SessionId}'s turn {RunId}: summarising its history failed; the oldest turns are truncated instead")]
    private static partial void LogSummaryFailed(ILogger logger, string sessionId, string runId, Exception exception);
}

using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Storage;
using AgentHost.Core.Tokens;
using AgentHost.Core.Tools;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Engine;

/// <summary>
/// Turns a thread and the run's steps so far into the messages of the next model call, cut to fit by the run's
/// truncation strategy. The run's own steps are the durable record of its tool calls, so a resumed run sends
/// exactly what it would have sent before the interruption.
/// </summary>
/// <summary>
/// Turns a thread and the run's steps so far into the messages of the next model call, cut to fit by the run's
/// truncation strategy. The run's own steps are the durable record of its tool calls, so a resumed run sends
/// exactly what it would have sent before the interruption. The thread is read newest first, a page at a time, and
/// reading stops once <c>last_messages</c> or the token budget is full, so a run on a long thread reads and counts only
/// what its prompt can hold (each message's count stored when it was written, <see cref="PromptTokens"/>).
/// </summary>
internal sealed class PromptBuilder(ITokenCounter tokens, ToolSources sources)
{
    private const int FirstPage = 32;
    private const int LargestPage = 512;

    private readonly PromptTokens counter = new(tokens);

    /// <summary>A page of the thread's history before the run, newest first, older than a cursor (null: the newest).</summary>
    internal delegate Task<IReadOnlyList<HistoryMessage>> HistoryPages(long? before, int limit, CancellationToken cancellationToken);

    /// <summary>The prompt of <paramref name="run"/>'s next model call, reading its thread from <paramref name="store"/>.</summary>
    /// <param name="conversation">
    /// The conversation before the run from its front door's <see cref="IRunHistory"/>; null for an Assistants run, whose
    /// history is the thread's other messages.
    /// </param>
    public async Task<Prompt> BuildAsync(ThreadRun run, IAgentStore store, IReadOnlyList<ChatMessage>? conversation, IReadOnlyList<RunStep> runSteps, int budget,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<ThreadMessage> runMessages = runSteps.Any(s => s.StepDetails.MessageCreation is not null)
            ? await store.GetRunMessagesAsync(run.ThreadId, run.Id, cancellationToken)
            : [];
        return await BuildAsync(run, conversation, runMessages, (before, limit, ct) => store.ReadThreadHistoryAsync(run.ThreadId, run.Id, before, limit, ct),
            runSteps, budget, cancellationToken);
    }

    /// <param name="runMessages">The messages the run wrote (those its message-creation steps name).</param>
    /// <param name="pages">The thread's other messages, newest first; not read when <paramref name="conversation"/> is given.</param>
    internal async Task<Prompt> BuildAsync(ThreadRun run, IReadOnlyList<ChatMessage>? conversation, IReadOnlyList<ThreadMessage> runMessages, HistoryPages pages,
        IReadOnlyList<RunStep> runSteps, int budget, CancellationToken cancellationToken)
    {
        var current = new List<Group>();
        var written = runMessages.Where(m => m.RunId == run.Id).ToDictionary(m => m.Id);
        foreach (var step in runSteps)
        {
            if (step.StepDetails.MessageCreation is { } creation && written.TryGetValue(creation.MessageId, out var message))
            {
                var chat = ToChatMessage(message);
                if (step.Reasoning is { } thought)
                {
                    chat.Contents = [.. ReasoningContents(thought), .. chat.Contents];
                }

                current.Add(Measure(chat));
            }
            else if (step.StepDetails.ToolCalls is { Count: > 0 } calls)
            {
                current.Add(Measure([.. ToolCallMessages(calls, step.Reasoning)]));
            }
        }

        var system = string.IsNullOrEmpty(run.Instructions) ? null : Measure(new ChatMessage(ChatRole.System, run.Instructions));
        var fixedTokens = (system?.Tokens ?? 0) + current.Sum(g => g.Tokens);
        var truncates = run.Profile is not { NoTruncation: true };
        var lastMessages = run.TruncationStrategy is { Type: "last_messages", LastMessages: int last } ? last : int.MaxValue;
        var history = conversation is not null
            ? FitNewestFirst(Turns(conversation).Reverse(), lastMessages, fixedTokens, budget, truncates)
            : await ReadHistoryAsync(pages, lastMessages, fixedTokens, budget, truncates, cancellationToken);
        var historyTokens = history.Sum(g => g.Tokens);

        if (fixedTokens + historyTokens > budget)
        {
            throw new PromptTooLongException(fixedTokens + historyTokens, budget);
        }

        var messages = new List<ChatMessage>();
        if (system is not null)
        {
            messages.AddRange(system.Messages);
        }

        // The history was gathered newest first.
        for (var i = history.Count - 1; i >= 0; i--)
        {
            messages.AddRange(history[i].Messages);
        }

        foreach (var group in current)
        {
            messages.AddRange(group.Messages);
        }

        return new Prompt(messages, fixedTokens + historyTokens);
    }

    /// <summary>
    /// The newest groups that fit, newest first: at most <paramref name="lastMessages"/>, and, when the run truncates, no more
    /// than the budget holds beside the fixed part — but always the newest one, or the call makes no sense (a prompt still
    /// too long is refused by the caller).
    /// </summary>
    private static List<Group> FitNewestFirst(IEnumerable<Group> newestFirst, int lastMessages, int fixedTokens, int budget, bool truncates)
    {
        var kept = new List<Group>();
        var total = fixedTokens;
        foreach (var group in newestFirst)
        {
            if (kept.Count >= lastMessages || (truncates && kept.Count > 0 && total + group.Tokens > budget))
            {
                break;
            }

            kept.Add(group);
            total += group.Tokens;
        }

        return kept;
    }

    /// <summary>
    /// <see cref="FitNewestFirst"/> over the thread, read a page at a time (pages growing from <see cref="FirstPage"/>), so
    /// reading stops as soon as the prompt is full. Each message's stored token count is used when it was counted as this
    /// builder counts.
    /// </summary>
    private async Task<List<Group>> ReadHistoryAsync(HistoryPages pages, int lastMessages, int fixedTokens, int budget, bool truncates, CancellationToken cancellationToken)
    {
        var kept = new List<Group>();
        var total = fixedTokens;
        long? before = null;
        var pageSize = FirstPage;
        while (kept.Count < lastMessages)
        {
            var limit = Math.Min(pageSize, lastMessages - kept.Count);
            var page = await pages(before, limit, cancellationToken);
            foreach (var read in page)
            {
                var tokens = counter.CountOrReuse(read.Message, read.Tokens, read.TokensKey);
                if (truncates && kept.Count > 0 && total + tokens > budget)
                {
                    return kept;
                }

                kept.Add(new Group([ToChatMessage(read.Message)], tokens));
                total += tokens;
            }

            if (page.Count < limit)
            {
                break;
            }

            before = page[^1].Cursor;
            pageSize = Math.Min(pageSize * 2, LargestPage);
        }

        return kept;
    }

    /// <summary>
    /// The conversation's messages as groups that are kept or dropped whole: a tool result stays with the call it
    /// answers, as providers refuse a result whose call is missing.
    /// </summary>
    private IEnumerable<Group> Turns(IReadOnlyList<ChatMessage> conversation)
    {
        var group = new List<ChatMessage>();
        foreach (var message in conversation)
        {
            var answersCall = message.Role == ChatRole.Tool || message.Contents.Any(c => c is FunctionResultContent);
            if (group.Count > 0 && !answersCall)
            {
                yield return Measure([.. group]);
                group.Clear();
            }

            group.Add(message);
        }

        if (group.Count > 0)
        {
            yield return Measure([.. group]);
        }
    }

    /// <summary>
    /// A turn's reasoning as the model gave it, to go back before what it wrote: text with its provider payload (a
    /// signature), or a redacted block. The provider layer decides what each model takes.
    /// </summary>
    private static IEnumerable<AIContent> ReasoningContents(StepReasoning reasoning) => reasoning.Parts.Select(ReasoningPart.ToContent);

    private IEnumerable<ChatMessage> ToolCallMessages(IReadOnlyList<StepToolCall> calls, StepReasoning? reasoning)
    {
        var callContents = new List<AIContent>(reasoning is null ? [] : ReasoningContents(reasoning));
        var results = new List<AIContent>();
        var media = new List<AIContent>();
        foreach (var call in calls)
        {
            if (call.Function is { } function)
            {
                callContents.Add(new FunctionCallContent(call.Id, function.Name, ParseArguments(function.Arguments)));
                results.Add(new FunctionResultContent(call.Id, function.Output ?? string.Empty));
            }
            else if (sources.For(call.Type) is { } source)
            {
                var view = EngineToolRecords.Describe(source, call);
                callContents.Add(new FunctionCallContent(call.Id, view.Name, ParseArguments(view.Arguments)));
                results.Add(new FunctionResultContent(call.Id, view.Output));
                if (view.Media.Count > 0)
                {
                    media.Add(new TextContent($"[The {view.Name} call {call.Id} returned {view.Media.Count} image(s), shown here.]"));
                    media.AddRange(view.Media);
                }
            }
        }

        yield return new ChatMessage(ChatRole.Assistant, callContents);
        yield return new ChatMessage(ChatRole.Tool, results);

        // Tool results carry text on every provider; images a call returned follow as a user turn the model can see.
        if (media.Count > 0)
        {
            yield return new ChatMessage(ChatRole.User, media);
        }
    }

    internal static Dictionary<string, object?> ParseArguments(string arguments)
    {
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
            }
        }
        catch (JsonException)
        {
            // A model may emit malformed arguments; the call is still recorded, with none.
        }

        return [];
    }

    internal static ChatMessage ToChatMessage(ThreadMessage message)
    {
        var role = message.Role == MessageRoles.Assistant ? ChatRole.Assistant : ChatRole.User;
        var contents = new List<AIContent>(message.Content.Count);
        foreach (var part in message.Content)
        {
            if (part.Text is { } text)
            {
                contents.Add(new TextContent(text.Value));
            }
            else if (part.ImageUrl is { } image && Uri.TryCreate(image.Url, UriKind.Absolute, out var uri))
            {
                contents.Add(uri.Scheme == "data" ? new DataContent(image.Url) : new UriContent(uri, "image/*"));
            }
            else if (part.ImageFile is { } file)
            {
                contents.Add(new TextContent($"[image file {file.FileId}]"));
            }
        }

        return new ChatMessage(role, contents);
    }

    private Group Measure(ChatMessage message) => Measure([message]);

    private Group Measure(IReadOnlyList<ChatMessage> messages) => new(messages, counter.Count(messages));

    private sealed record Group(IReadOnlyList<ChatMessage> Messages, int Tokens);
}

using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Tokens;
using AgentHost.Core.Tools;
using Microsoft.Extensions.AI;

namespace AgentHost.Storage.Contracts;

/// <summary>
/// The prompt builder as it was before history was read newest first in pages: it takes the whole thread and counts
/// every message. Kept unchanged as the oracle the paging builder must match prompt for prompt
/// (<see cref="PromptHistoryContract{TFactory}"/>).
/// </summary>
internal sealed class WholeThreadPromptBuilder(ITokenCounter tokens, ToolSources sources)
{
    private const int PerMessageOverhead = 4;

    public Prompt Build(ThreadRun run, IReadOnlyList<ThreadMessage> threadMessages, IReadOnlyList<RunStep> runSteps, int budget) =>
        Build(run, threadMessages, null, runSteps, budget);

    /// <param name="conversation">
    /// The conversation before the run from its front door's <see cref="IRunHistory"/>; null for an Assistants run, whose
    /// history is the thread's other messages.
    /// </param>
    public Prompt Build(ThreadRun run, IReadOnlyList<ThreadMessage> threadMessages, IReadOnlyList<ChatMessage>? conversation, IReadOnlyList<RunStep> runSteps, int budget)
    {
        var history = new List<Group>();
        if (conversation is not null)
        {
            history.AddRange(Turns(conversation));
        }
        else
        {
            foreach (var message in threadMessages)
            {
                if (message.RunId != run.Id)
                {
                    history.Add(Measure(ToChatMessage(message)));
                }
            }
        }

        if (run.TruncationStrategy is { Type: "last_messages", LastMessages: int last } && history.Count > last)
        {
            history.RemoveRange(0, history.Count - last);
        }

        var current = new List<Group>();
        var runMessages = threadMessages.Where(m => m.RunId == run.Id).ToDictionary(m => m.Id);
        foreach (var step in runSteps)
        {
            if (step.StepDetails.MessageCreation is { } creation && runMessages.TryGetValue(creation.MessageId, out var written))
            {
                var message = ToChatMessage(written);
                if (step.Reasoning is { } thought)
                {
                    message.Contents = [.. ReasoningContents(thought), .. message.Contents];
                }

                current.Add(Measure(message));
            }
            else if (step.StepDetails.ToolCalls is { Count: > 0 } calls)
            {
                current.Add(Measure([.. ToolCallMessages(calls, step.Reasoning)]));
            }
        }

        var system = string.IsNullOrEmpty(run.Instructions) ? null : Measure(new ChatMessage(ChatRole.System, run.Instructions));
        var fixedTokens = (system?.Tokens ?? 0) + current.Sum(g => g.Tokens);
        var historyTokens = history.Sum(g => g.Tokens);

        // Oldest history goes first; the newest message of the thread always stays, or the call makes no sense.
        var drop = 0;
        while (fixedTokens + historyTokens > budget && drop < history.Count - 1 && run.Profile is not { NoTruncation: true })
        {
            historyTokens -= history[drop++].Tokens;
        }

        if (fixedTokens + historyTokens > budget)
        {
            throw new PromptTooLongException(fixedTokens + historyTokens, budget);
        }

        var messages = new List<ChatMessage>();
        if (system is not null)
        {
            messages.AddRange(system.Messages);
        }

        foreach (var group in history.Skip(drop).Concat(current))
        {
            messages.AddRange(group.Messages);
        }

        return new Prompt(messages, fixedTokens + historyTokens);
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

    private static ChatMessage ToChatMessage(ThreadMessage message)
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

    private Group Measure(IReadOnlyList<ChatMessage> messages)
    {
        var total = 0;
        foreach (var message in messages)
        {
            total += PerMessageOverhead;
            foreach (var content in message.Contents)
            {
                total += content switch
                {
                    TextContent text => tokens.CountTokens(text.Text),
                    FunctionCallContent call => tokens.CountTokens(call.Name) + tokens.CountTokens(JsonSerializer.Serialize(call.Arguments, EngineJsonContext.Default.DictionaryStringObject)),
                    FunctionResultContent result => tokens.CountTokens(result.Result?.ToString() ?? string.Empty),
                    UriContent or DataContent => 765, // a high-detail image tile budget, as OpenAI bills 1024x1024
                    _ => 0,
                };
            }
        }

        return new Group(messages, total);
    }

    private sealed record Group(IReadOnlyList<ChatMessage> Messages, int Tokens);
}

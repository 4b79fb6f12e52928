using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Storage;
using AgentHost.Core.Tokens;
using AgentHost.Core.Tools;
using Microsoft.Extensions.AI;

namespace AgentHost.Storage.Contracts;

/// <summary>
/// What a run reads of its thread: newest-first pages of the history with each message's stored token count, the run's
/// own messages, and — the oracle — prompts identical, message for message, to the whole-thread prompt builder's over
/// randomised threads, truncations and budgets.
/// </summary>
public abstract class PromptHistoryContract<TFactory> : StoreContract<TFactory>
    where TFactory : IStoreFactory, new()
{
    private static readonly string[] Words = ["the", "run", "reads", "a", "thread", "of", "messages", "newest", "first", "and", "stops", "when", "full", "token", "ü", "日本語", "🙂", "{\"x\":1}"];

    private IAgentStore Store => Stores.Agents;

    [StoreFact]
    public async Task ThreadHistory_IsReadNewestFirstInPages_WithoutTheRunsOwnMessages_AndWithStoredTokenCounts()
    {
        var thread = Objects.Thread();
        var older = Enumerable.Range(0, 5).Select(i => Objects.Message(thread.Id) with { Content = [MessageContent.FromText($"message {i}")] }).ToList();
        await Store.CreateThreadAsync(thread, older, None);
        var run = Objects.Run(thread.Id);
        var reply = Objects.Message(thread.Id, run.Id);
        await Store.SaveMessageAsync(reply, None);
        var later = Objects.Message(thread.Id);
        await Store.SaveMessageAsync(later, None);

        var first = await Store.ReadThreadHistoryAsync(thread.Id, run.Id, null, 4, None);
        var second = await Store.ReadThreadHistoryAsync(thread.Id, run.Id, first[^1].Cursor, 4, None);
        var mine = await Store.GetRunMessagesAsync(thread.Id, run.Id, None);

        Assert.Equal([later.Id, older[4].Id, older[3].Id, older[2].Id], first.Select(m => m.Message.Id));
        Assert.Equal([older[1].Id, older[0].Id], second.Select(m => m.Message.Id));
        Assert.Equal([reply.Id], mine.Select(m => m.Id));
        var counter = new PromptTokens(new TiktokenCounter());
        Assert.All(first.Concat(second), m => Assert.Equal((counter.Count(m.Message), counter.Key), (m.Tokens, m.TokensKey)));
    }

    [StoreFact]
    public async Task ThreadHistory_AfterAMessageIsRewritten_CarriesTheNewCount()
    {
        var thread = Objects.Thread();
        var message = Objects.Message(thread.Id, "run_other", MessageStatus.InProgress) with { Content = [] };
        await Store.CreateThreadAsync(thread, [message], None);
        var completed = message with { Status = MessageStatus.Completed, Content = [MessageContent.FromText(string.Join(' ', Enumerable.Repeat("word", 50)))] };
        await Store.SaveMessageAsync(completed, None);

        var read = Assert.Single(await Store.ReadThreadHistoryAsync(thread.Id, "run_mine", null, 10, None));

        Assert.Equal(new PromptTokens(new TiktokenCounter()).Count(completed), read.Tokens);
    }

    [StoreFact]
    public async Task Prompts_MatchTheWholeThreadOracle_OverRandomisedThreads()
    {
        var random = new Random(16);
        var oracle = new WholeThreadPromptBuilder(new TiktokenCounter(), new ToolSources([]));
        var builders = new[]
        {
            new PromptBuilder(new TiktokenCounter(), new ToolSources([])),
            // Another encoding's counts never match the stored ones, so every message is counted on read, as rows written
            // before counts were stored are.
            new PromptBuilder(new OtherEncoding(), new ToolSources([])),
        };
        var compared = 0;
        var truncatedByBudget = 0;
        var tooLong = 0;
        for (var scenario = 0; scenario < 60; scenario++)
        {
            var (run, steps) = await WriteThreadAsync(random);
            var whole = await Store.GetThreadMessagesAsync(run.ThreadId, None);
            var everything = oracle.Build(run, whole, steps, int.MaxValue);
            for (var trial = 0; trial < 6; trial++)
            {
                var truncated = run with
                {
                    TruncationStrategy = random.Next(2) == 0
                        ? TruncationStrategy.Auto
                        : new TruncationStrategy { Type = "last_messages", LastMessages = random.Next(1, 40) },
                };
                var budget = random.Next(2) == 0 ? int.MaxValue : random.Next(0, everything.EstimatedTokens + 20);
                var expected = Outcome(() => oracle.Build(truncated, whole, steps, budget));
                foreach (var builder in builders)
                {
                    var actual = await OutcomeAsync(() => builder.BuildAsync(truncated, Store, null, steps, budget, None));
                    Assert.Equal(expected, actual);
                    compared++;
                }

                truncatedByBudget += expected.StartsWith("prompt", StringComparison.Ordinal) && budget < everything.EstimatedTokens ? 1 : 0;
                tooLong += expected.StartsWith("too long", StringComparison.Ordinal) ? 1 : 0;
            }
        }

        // The random cases reach every path: whole threads, budget cuts and prompts too long to send.
        Assert.Equal(720, compared);
        Assert.True(truncatedByBudget > 20, $"only {truncatedByBudget} prompts were cut by the budget");
        Assert.True(tooLong > 5, $"only {tooLong} prompts were too long");
    }

    /// <summary>
    /// A thread of random length (messages of past runs among the user's, text of random length, images by URL, data URI
    /// and file) and a run on it with instructions and random steps: messages it wrote (some with reasoning) and
    /// function calls with their outputs.
    /// </summary>
    private async Task<(ThreadRun Run, IReadOnlyList<RunStep> Steps)> WriteThreadAsync(Random random)
    {
        var thread = Objects.Thread();
        var length = new[] { 0, 1, 2, 3, 7, 20, 45, 90 }[random.Next(8)];
        var messages = new List<ThreadMessage>();
        for (var i = 0; i < length; i++)
        {
            var pastRun = random.Next(3) == 0 ? $"run_past{i}" : null;
            messages.Add(Objects.Message(thread.Id, pastRun) with { CreatedAt = i, Content = Contents(random) });
        }

        await Store.CreateThreadAsync(thread, messages, None);
        var run = Objects.Run(thread.Id) with { Instructions = random.Next(3) == 0 ? null : Text(random, random.Next(1, 60)) };
        var steps = new List<RunStep>();
        for (var s = random.Next(4); s > 0; s--)
        {
            var reasoning = random.Next(3) == 0 ? new StepReasoning { Id = "rs_" + s, Parts = [new ReasoningPart(Text(random, 10), "sig")] } : null;
            if (random.Next(2) == 0)
            {
                var written = Objects.Message(thread.Id, run.Id) with { Content = Contents(random) };
                await Store.SaveMessageAsync(written, None);
                steps.Add(Objects.Step(run) with
                {
                    Type = StepTypes.MessageCreation, Reasoning = reasoning,
                    StepDetails = new StepDetails { Type = StepTypes.MessageCreation, MessageCreation = new MessageCreation(written.Id) },
                });
            }
            else
            {
                var calls = Enumerable.Range(0, random.Next(1, 3)).Select(c => new StepToolCall
                {
                    Id = $"call_{s}_{c}", Type = "function",
                    Function = new StepFunctionCall("lookup", $$"""{"query":"{{Text(random, 3)}}","n":{{c}}}""", Text(random, random.Next(0, 40))),
                }).ToList();
                steps.Add(Objects.Step(run) with
                {
                    Type = StepTypes.ToolCalls, Reasoning = reasoning, StepDetails = new StepDetails { Type = StepTypes.ToolCalls, ToolCalls = calls },
                });
            }
        }

        // A message the run is still writing, named by no step: neither builder sends it.
        if (random.Next(4) == 0)
        {
            await Store.SaveMessageAsync(Objects.Message(thread.Id, run.Id, MessageStatus.InProgress), None);
        }

        return (run, steps);
    }

    private static List<MessageContent> Contents(Random random)
    {
        var parts = new List<MessageContent> { MessageContent.FromText(Text(random, random.Next(0, 120))) };
        switch (random.Next(8))
        {
            case 0:
                parts.Add(new MessageContent { Type = "image_url", ImageUrl = new ImageUrl { Url = "https://example.com/cat.png" } });
                break;
            case 1:
                parts.Add(new MessageContent { Type = "image_url", ImageUrl = new ImageUrl { Url = "data:image/png;base64,iVBORw0KGgo=" } });
                break;
            case 2:
                parts.Add(new MessageContent { Type = "image_file", ImageFile = new ImageFile { FileId = "file_" + random.Next(100) } });
                break;
            case 3:
                parts.Add(MessageContent.FromText(Text(random, 5)));
                break;
        }

        return parts;
    }

    private static string Text(Random random, int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[random.Next(Words.Length)]));

    private static string Outcome(Func<Prompt> build)
    {
        try
        {
            return Describe(build());
        }
        catch (PromptTooLongException tooLong)
        {
            return $"too long: {tooLong.Tokens} > {tooLong.Budget}";
        }
    }

    private static async Task<string> OutcomeAsync(Func<Task<Prompt>> build)
    {
        try
        {
            return Describe(await build());
        }
        catch (PromptTooLongException tooLong)
        {
            return $"too long: {tooLong.Tokens} > {tooLong.Budget}";
        }
    }

    /// <summary>The prompt as text: its estimate, then each message's role and every content with what it carries.</summary>
    private static string Describe(Prompt prompt) =>
        $"prompt of {prompt.EstimatedTokens} tokens\n" + string.Join('\n', prompt.Messages.Select(m => m.Role + ": " + string.Join(" | ", m.Contents.Select(Describe))));

    private static string Describe(AIContent content) => content switch
    {
        TextContent text => "text " + text.Text,
        TextReasoningContent reasoning => $"reasoning {reasoning.Text} ({reasoning.ProtectedData})",
        DataContent data => "data " + data.Uri,
        UriContent uri => $"uri {uri.Uri} {uri.MediaType}",
        FunctionCallContent call => $"call {call.CallId} {call.Name}({string.Join(", ", call.Arguments?.Select(a => $"{a.Key}={a.Value}") ?? [])})",
        FunctionResultContent result => $"result {result.CallId} {result.Result}",
        _ => content.GetType().Name,
    };

    private sealed class OtherEncoding : ITokenCounter
    {
        private readonly TiktokenCounter inner = new();

        public string Encoding => "another_encoding";

        public int CountTokens(string text) => inner.CountTokens(text);
    }
}

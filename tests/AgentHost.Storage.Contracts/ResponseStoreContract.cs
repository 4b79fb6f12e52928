using AgentHost.Core.Domain;
using AgentHost.Core.Observability;
using AgentHost.Core.Storage;

namespace AgentHost.Storage.Contracts;

/// <summary>What every <see cref="IResponseStore"/> must do: responses created with their run, chains, output kept once, events, deletes.</summary>
public abstract class ResponseStoreContract<TFactory> : StoreContract<TFactory>
    where TFactory : IStoreFactory, new()
{
    private IResponseStore Store => Stores.Responses;

    [StoreFact]
    public async Task Create_KeepsTheResponseItsInputAndItsRun_Together()
    {
        var (response, run) = await CreateAsync(previous: null, input: [Item("msg_in", """{"type":"message","content":"hi"}""")]);

        var stored = await Store.GetAsync(response.Id, None);
        Assert.Equal(response with { OutputSaved = false }, stored);
        Assert.Equal(RunStatus.Queued, (await Stores.Agents.GetRunAsync(run.ThreadId, run.Id, None))?.Status);
        var item = Assert.Single(await Store.GetItemsAsync([response.Id], None));
        Assert.Equal(("msg_in", """{"type":"message","content":"hi"}""", false), (item.Id, item.Data, item.IsOutput));
        Assert.Null(await Store.GetAsync("resp_missing", None));
    }

    [StoreFact]
    public async Task Chain_IsOldestFirst_AndForksAreIndependent()
    {
        var (first, _) = await CreateAsync(previous: null, input: [Item("a", "{}")]);
        var (second, _) = await CreateAsync(first.Id, [Item("b", "{}")]);
        var (third, _) = await CreateAsync(second.Id, [Item("c", "{}")]);
        var (fork, _) = await CreateAsync(first.Id, [Item("d", "{}")]);

        Assert.Equal([first.Id, second.Id, third.Id], (await Store.GetChainAsync(third.Id, None)).Select(r => r.Id));
        Assert.Equal([first.Id, fork.Id], (await Store.GetChainAsync(fork.Id, None)).Select(r => r.Id));
        Assert.Empty(await Store.GetChainAsync("resp_missing", None));
        Assert.Equal(["c", "a", "d"], (await Store.GetItemsAsync([third.Id, first.Id, fork.Id], None)).Select(i => i.Id));
    }

    [StoreFact]
    public async Task Output_IsKeptOnce_AfterTheInput_AndAppendedToTheConversation()
    {
        var conversation = new StoredConversation { Id = "conv_" + Guid.NewGuid().ToString("N"), Data = "{}" };
        await Stores.Conversations.CreateAsync(conversation, [Item("earlier", "{}")], None);
        var (response, _) = await CreateAsync(previous: null, input: [Item("in", "{}")], conversation.Id);

        Assert.True(await Store.SaveOutputAsync(response.Id, [Item("out", """{"o":1}""", output: true)], None));
        Assert.False(await Store.SaveOutputAsync(response.Id, [Item("again", "{}", output: true)], None));

        Assert.Equal([("in", false), ("out", true)], (await Store.GetItemsAsync([response.Id], None)).Select(i => (i.Id, i.IsOutput)));
        Assert.True((await Store.GetAsync(response.Id, None))!.OutputSaved);
        Assert.Equal(["earlier", "in", "out"], (await Stores.Conversations.GetItemsAsync(conversation.Id, null, None)).Select(i => i.Id));
        Assert.False(await Store.SaveOutputAsync("resp_missing", [Item("x", "{}")], None));
    }

    [StoreFact]
    public async Task Events_AreKeptOncePerSequenceNumber_AsWritten_AndReadAfterACursor()
    {
        var (response, _) = await CreateAsync(previous: null, input: []);
        const string Spaced = """{"type":"response.created", "sequence_number":1}""";
        await Store.AppendEventAsync(response.Id, new StoredEvent(1, Spaced), None);
        await Store.AppendEventAsync(response.Id, new StoredEvent(2, """{"b":2}"""), None);
        await Store.AppendEventAsync(response.Id, new StoredEvent(2, """{"b":"replaced"}"""), None);
        await Store.AppendEventAsync(response.Id, new StoredEvent(3, """{"c":3}"""), None);
        await Store.AppendEventAsync("resp_missing", new StoredEvent(1, "{}"), None);

        Assert.Equal([new StoredEvent(1, Spaced), new StoredEvent(2, """{"b":2}"""), new StoredEvent(3, """{"c":3}""")], await Store.GetEventsAsync(response.Id, 0, None));
        Assert.Equal([3L], (await Store.GetEventsAsync(response.Id, 2, None)).Select(e => e.SequenceNumber));
        Assert.Empty(await Store.GetEventsAsync("resp_missing", 0, None));
    }

    [StoreFact]
    public async Task UpdateData_ReplacesTheSettings()
    {
        var (response, _) = await CreateAsync(previous: null, input: []);

        await Store.UpdateDataAsync(response.Id, """{"metadata":{"k":"v"}}""", None);

        Assert.Equal("""{"metadata":{"k":"v"}}""", (await Store.GetAsync(response.Id, None))?.Data);
    }

    [StoreFact]
    public async Task Delete_RemovesItemsEventsAndTheRun_AndIsFalseTheSecondTime()
    {
        var (response, run) = await CreateAsync(previous: null, input: [Item("in", "{}")]);
        await Store.AppendEventAsync(response.Id, new StoredEvent(1, "{}"), None);
        await Stores.Agents.SaveStepAsync(Objects.Step(run), None);

        Assert.True(await Store.DeleteAsync(response.Id, None));

        Assert.Null(await Store.GetAsync(response.Id, None));
        Assert.Empty(await Store.GetItemsAsync([response.Id], None));
        Assert.Empty(await Store.GetEventsAsync(response.Id, 0, None));
        Assert.Null(await Stores.Agents.GetRunAsync(run.ThreadId, run.Id, None));
        Assert.Empty((await Stores.Agents.ListStepsAsync(run.ThreadId, run.Id, ListQuery.Default, None)).Data);
        Assert.False(await Store.DeleteAsync(response.Id, None));
    }

    [StoreFact]
    public async Task ForgetContent_KeepsTheSpansUsage_WithoutTheirContent()
    {
        var (response, run) = await CreateAsync(previous: null, input: [Item("in", "{}")]);
        var span = new TraceSpan
        {
            Id = "span_" + Guid.NewGuid().ToString("N"),
            Kind = TraceSpanKinds.ModelCall,
            RunId = run.Id,
            ThreadId = run.ThreadId,
            AssistantId = run.AssistantId,
            StartedAt = 1,
            Model = "gpt-4o",
            Input = "the secret question",
            Output = "the secret answer",
            Usage = new TraceUsage { InputTokens = 7, OutputTokens = 3 },
        };
        await Stores.Traces.AddSpansAsync([span], None);

        await Store.ForgetContentAsync(response.Id, None);

        Assert.Null(await Store.GetAsync(response.Id, None));
        Assert.Empty(await Store.GetItemsAsync([response.Id], None));
        var kept = Assert.Single(await Stores.Traces.GetRunSpansAsync(run.Id, None));
        Assert.Equal((7, 3), (kept.Usage?.InputTokens, kept.Usage?.OutputTokens));
        Assert.Null(kept.Input);
        Assert.Null(kept.Output);
    }

    private async Task<(StoredResponse Response, ThreadRun Run)> CreateAsync(string? previous, IReadOnlyList<StoredItem> input, string? conversationId = null)
    {
        var id = "resp_" + Guid.NewGuid().ToString("N");
        var response = new StoredResponse { Id = id, CreatedAt = 1, PreviousResponseId = previous, ConversationId = conversationId, Data = """{"model":"gpt-4o"}""" };
        var run = Objects.Run(id) with { Id = id }; // a response's run has the response's id, as thread and run
        await Store.CreateAsync(response, input, run, None);
        return (response, run);
    }

    private static StoredItem Item(string id, string data, bool output = false) => new(id, data) { IsOutput = output };
}

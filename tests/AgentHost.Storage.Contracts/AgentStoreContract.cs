using AgentHost.Core.Domain;
using AgentHost.Core.Storage;

namespace AgentHost.Storage.Contracts;

/// <summary>What every <see cref="IAgentStore"/> must do with assistants, threads, messages and pages.</summary>
public abstract class AgentStoreContract<TFactory> : StoreContract<TFactory>
    where TFactory : IStoreFactory, new()
{
    private IAgentStore Store => Stores.Agents;

    [StoreFact]
    public async Task Assistant_RoundTripsThroughCreateUpdateAndDelete()
    {
        var assistant = Objects.Assistant() with { Name = "Ada", Metadata = new Dictionary<string, string> { ["zeta"] = "1", ["alpha"] = "2" } };
        await Store.CreateAssistantAsync(assistant, None);
        await Store.UpdateAssistantAsync(assistant with { Name = "Grace" }, None);

        var read = await Store.GetAssistantAsync(assistant.Id, None);

        Assert.NotNull(read);
        Assert.Equal("Grace", read.Name);
        Assert.Equal(assistant.Metadata, read.Metadata);
        Assert.True(await Store.DeleteAssistantAsync(assistant.Id, None));
        Assert.False(await Store.DeleteAssistantAsync(assistant.Id, None));
        Assert.Null(await Store.GetAssistantAsync(assistant.Id, None));
    }

    [StoreFact]
    public async Task Pages_FollowCursorsInBothOrders()
    {
        for (var i = 1; i <= 5; i++)
        {
            await Store.CreateAssistantAsync(Objects.Assistant($"asst_{i}", i), None);
        }

        (ListQuery Query, string Ids, bool HasMore)[] cases =
        [
            (new() { Limit = 2 }, "5,4", true),
            (new() { Limit = 2, Ascending = true }, "1,2", true),
            (new() { Limit = 2, After = "asst_4" }, "3,2", true),
            (new() { Limit = 2, After = "asst_2", Ascending = true }, "3,4", true),
            (new() { Limit = 2, Before = "asst_2" }, "4,3", true),
            (new() { Limit = 2, Before = "asst_4", Ascending = true }, "2,3", true),
            (new() { Limit = 10, After = "asst_1", Before = "asst_5", Ascending = true }, "2,3,4", false),
            (new() { Limit = 2, After = "asst_missing" }, "", false),
            (new() { Limit = 5 }, "5,4,3,2,1", false),
            (new() { Limit = 1, After = "asst_1" }, "", false),
            (new() { Limit = 100, Before = "asst_5", Ascending = true }, "1,2,3,4", false),
        ];
        foreach (var (query, ids, hasMore) in cases)
        {
            var page = await Store.ListAssistantsAsync(query, None);
            Assert.Equal((ids, hasMore), (string.Join(",", page.Data.Select(a => a.Id["asst_".Length..])), page.HasMore));
        }
    }

    [StoreFact]
    public async Task Messages_ArePagedPerThreadAndPerRun()
    {
        var thread = Objects.Thread();
        var other = Objects.Thread();
        var first = Objects.Message(thread.Id);
        await Store.CreateThreadAsync(thread, [first], None);
        await Store.CreateThreadAsync(other, [Objects.Message(other.Id)], None);
        var run = Objects.Run(thread.Id, RunStatus.Completed);
        Assert.Null(await Store.TryCreateRunAsync(run, null, [], None));
        var reply = Objects.Message(thread.Id, run.Id);
        await Store.SaveMessageAsync(reply, None);
        var last = Objects.Message(thread.Id);
        Assert.Null(await Store.TryAddMessageAsync(last, None));

        var all = await Store.ListMessagesAsync(thread.Id, new ListQuery { Ascending = true }, null, None);
        var ofRun = await Store.ListMessagesAsync(thread.Id, ListQuery.Default, run.Id, None);
        var afterFirst = await Store.ListMessagesAsync(thread.Id, new ListQuery { Ascending = true, After = first.Id, Limit = 1 }, null, None);
        var history = await Store.GetThreadMessagesAsync(thread.Id, None);

        Assert.Equal([first.Id, reply.Id, last.Id], all.Data.Select(m => m.Id));
        Assert.Equal([reply.Id], ofRun.Data.Select(m => m.Id));
        Assert.Equal((string.Join(",", new[] { reply.Id }), true), (string.Join(",", afterFirst.Data.Select(m => m.Id)), afterFirst.HasMore));
        Assert.Equal([first.Id, reply.Id, last.Id], history.Select(m => m.Id));
        Assert.Equal(first.Id, (await Store.GetMessageAsync(thread.Id, first.Id, None))?.Id);
        Assert.Null(await Store.GetMessageAsync(other.Id, first.Id, None));
    }

    [StoreFact]
    public async Task SaveMessage_UpdatesInPlaceKeepingItsPosition()
    {
        var thread = Objects.Thread();
        var first = Objects.Message(thread.Id, status: MessageStatus.InProgress);
        var second = Objects.Message(thread.Id);
        await Store.CreateThreadAsync(thread, [first, second], None);

        await Store.SaveMessageAsync(first with { Status = MessageStatus.Completed, Content = [MessageContent.FromText("done")] }, None);

        var history = await Store.GetThreadMessagesAsync(thread.Id, None);
        Assert.Equal([first.Id, second.Id], history.Select(m => m.Id));
        Assert.Equal(("done", MessageStatus.Completed), (history[0].Text, history[0].Status));
    }

    [StoreFact]
    public async Task DeleteMessage_OnlyWithinItsThread()
    {
        var thread = Objects.Thread();
        var message = Objects.Message(thread.Id);
        await Store.CreateThreadAsync(thread, [message], None);

        Assert.False(await Store.DeleteMessageAsync("thread_other", message.Id, None));
        Assert.True(await Store.DeleteMessageAsync(thread.Id, message.Id, None));
        Assert.Empty(await Store.GetThreadMessagesAsync(thread.Id, None));
    }

    [StoreFact]
    public async Task Thread_UpdatesAndDeletesWithEverythingInIt()
    {
        var thread = Objects.Thread();
        await Store.CreateThreadAsync(thread, [Objects.Message(thread.Id)], None);
        var run = Objects.Run(thread.Id, RunStatus.Completed);
        await Store.TryCreateRunAsync(run, null, [], None);
        var step = Objects.Step(run, StepStatus.Completed);
        await Store.SaveStepAsync(step, None);
        await Store.UpdateThreadAsync(thread with { Metadata = new Dictionary<string, string> { ["k"] = "v" } }, None);
        Assert.Equal("v", (await Store.GetThreadAsync(thread.Id, None))?.Metadata["k"]);

        Assert.True(await Store.DeleteThreadAsync(thread.Id, None));

        Assert.Null(await Store.GetThreadAsync(thread.Id, None));
        Assert.Empty(await Store.GetThreadMessagesAsync(thread.Id, None));
        Assert.Null(await Store.GetRunAsync(thread.Id, run.Id, None));
        Assert.Null(await Store.GetStepAsync(thread.Id, run.Id, step.Id, None));
        Assert.Empty((await Store.ListRunsAsync(thread.Id, ListQuery.Default, None)).Data);
        Assert.False(await Store.DeleteThreadAsync(thread.Id, None));
    }

    [StoreFact]
    public async Task ConcurrentWriters_AllLand()
    {
        var threads = Enumerable.Range(0, 40).Select(_ => Objects.Thread()).ToArray();

        await Task.WhenAll(threads.Select(t => Task.Run(() => Store.CreateThreadAsync(t, [Objects.Message(t.Id), Objects.Message(t.Id)], None))));
        await Task.WhenAll(threads.Select(t => Task.Run(() => Store.TryAddMessageAsync(Objects.Message(t.Id), None))));

        foreach (var thread in threads)
        {
            Assert.Equal(3, (await Store.GetThreadMessagesAsync(thread.Id, None)).Count);
        }
    }
}

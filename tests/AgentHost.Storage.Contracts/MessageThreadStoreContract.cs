using AgentHost.Core.Conversations;

namespace AgentHost.Storage.Contracts;

/// <summary>What every <see cref="IMessageThreadStore"/> must do: a thread is one chain, each turn continued once, per project.</summary>
public abstract class MessageThreadStoreContract<TFactory> : StoreContract<TFactory>
    where TFactory : IStoreFactory, new()
{
    private IMessageThreadStore Store => Stores.MessageThreads;

    [StoreFact]
    public async Task Chain_ReadsTheTurnsUpToTheTip_AndSaysWhetherTheTipWasContinued()
    {
        var first = Turn(thread: "msg_1", id: "msg_1", previous: null) with { System = "\"be brief\"", Tools = "[]", SessionId = "sess_a" };
        Assert.True(await Store.AppendAsync(first, None));
        Assert.True(await Store.AppendAsync(Turn("msg_1", "msg_2", "msg_1"), None));
        Assert.True(await Store.AppendAsync(Turn("msg_1", "msg_3", "msg_2"), None));

        var middle = await Store.GetChainAsync("default", "msg_2", None);
        var tip = await Store.GetChainAsync("default", "msg_3", None);

        Assert.Equal(["msg_1", "msg_2"], middle!.Turns.Select(t => t.Id));
        Assert.True(middle.TipContinued);
        Assert.Equal(["msg_1", "msg_2", "msg_3"], tip!.Turns.Select(t => t.Id));
        Assert.False(tip.TipContinued);
        Assert.Equal(first, tip.First);
        Assert.Null(await Store.GetChainAsync("default", "msg_missing", None));
        Assert.Null(await Store.GetChainAsync("other-project", "msg_3", None));
    }

    [StoreFact]
    public async Task Append_RefusesASecondContinuation_AndAMissingOrForeignPrevious()
    {
        Assert.True(await Store.AppendAsync(Turn("msg_a", "msg_a", null), None));
        Assert.True(await Store.AppendAsync(Turn("msg_a", "msg_b", "msg_a"), None));

        Assert.False(await Store.AppendAsync(Turn("msg_a", "msg_c", "msg_a"), None));
        Assert.False(await Store.AppendAsync(Turn("msg_x", "msg_d", "msg_missing"), None));
        Assert.False(await Store.AppendAsync(Turn("msg_a", "msg_e", "msg_b") with { Project = "other-project" }, None));
        Assert.False(await Store.AppendAsync(Turn("msg_a", "msg_b", "msg_a"), None));
        Assert.Equal(["msg_a", "msg_b"], (await Store.GetChainAsync("default", "msg_b", None))!.Turns.Select(t => t.Id));
    }

    [StoreFact]
    public async Task SessionTurns_AndDeletingAThread()
    {
        await Store.AppendAsync(Turn("msg_s1", "msg_s1", null) with { SessionId = "sess_x" }, None);
        await Store.AppendAsync(Turn("msg_s1", "msg_s2", "msg_s1") with { SessionId = "sess_x" }, None);
        await Store.AppendAsync(Turn("msg_o1", "msg_o1", null) with { SessionId = "sess_y" }, None);

        Assert.Equal(["msg_s1", "msg_s2"], (await Store.ListSessionTurnsAsync("default", "sess_x", None)).Select(t => t.Id));
        Assert.Empty(await Store.ListSessionTurnsAsync("other-project", "sess_x", None));

        Assert.False(await Store.DeleteThreadAsync("other-project", "msg_s2", None));
        Assert.True(await Store.DeleteThreadAsync("default", "msg_s2", None));

        Assert.Null(await Store.GetChainAsync("default", "msg_s1", None));
        Assert.Empty(await Store.ListSessionTurnsAsync("default", "sess_x", None));
        Assert.NotNull(await Store.GetChainAsync("default", "msg_o1", None));
        Assert.False(await Store.DeleteThreadAsync("default", "msg_s2", None));
    }

    private static MessageThreadTurn Turn(string thread, string id, string? previous) => new()
    {
        Id = id,
        Project = "default",
        ThreadId = thread,
        PreviousMessageId = previous,
        Model = "gpt-4o",
        CreatedAt = 1_700_000_000_000,
        Input = $$"""[{"role":"user","content":"turn {{id}}"}]""",
        Reply = """[{"type":"text","text":"ok"}]""",
        StopReason = "end_turn",
    };
}

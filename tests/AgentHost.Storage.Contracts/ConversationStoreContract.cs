using AgentHost.Core.Storage;

namespace AgentHost.Storage.Contracts;

/// <summary>What every <see cref="IConversationStore"/> must do: items in insertion order, paged both ways, duplicates skipped, cascades.</summary>
public abstract class ConversationStoreContract<TFactory> : StoreContract<TFactory>
    where TFactory : IStoreFactory, new()
{
    private IConversationStore Store => Stores.Conversations;

    [StoreFact]
    public async Task Items_KeepTheirOrder_AndAnIdAlreadyHeldIsSkipped()
    {
        var conversation = await CreateAsync("a", "b");

        Assert.True(await Store.AddItemsAsync(conversation.Id, [Item("c"), Item("a", """{"changed":true}"""), Item("d")], None));
        Assert.False(await Store.AddItemsAsync("conv_missing", [Item("x")], None));

        var items = await Store.GetItemsAsync(conversation.Id, null, None);
        Assert.Equal(["a", "b", "c", "d"], items.Select(i => i.Id));
        Assert.Equal("""{"n":"a"}""", items[0].Data);
        Assert.Equal(["a", "b"], (await Store.GetItemsAsync(conversation.Id, "b", None)).Select(i => i.Id));
        Assert.Equal("""{"n":"c"}""", (await Store.GetItemAsync(conversation.Id, "c", None))?.Data);
        Assert.Null(await Store.GetItemAsync(conversation.Id, "zz", None));
    }

    [StoreFact]
    public async Task ListItems_PagesForwardAndBackward_FromACursor()
    {
        var conversation = await CreateAsync("a", "b", "c", "d", "e");

        var first = await Store.ListItemsAsync(conversation.Id, new ListQuery { Limit = 2, Ascending = true }, None);
        var next = await Store.ListItemsAsync(conversation.Id, new ListQuery { Limit = 2, Ascending = true, After = "b" }, None);
        var last = await Store.ListItemsAsync(conversation.Id, new ListQuery { Limit = 2, Ascending = true, After = "d" }, None);
        var newest = await Store.ListItemsAsync(conversation.Id, new ListQuery { Limit = 2, Ascending = false }, None);
        var older = await Store.ListItemsAsync(conversation.Id, new ListQuery { Limit = 10, Ascending = false, After = "c" }, None);
        var before = await Store.ListItemsAsync(conversation.Id, new ListQuery { Limit = 10, Ascending = true, Before = "c" }, None);

        Assert.Equal(("a,b", true), (string.Join(',', first.Data.Select(i => i.Id)), first.HasMore));
        Assert.Equal(("c,d", true), (string.Join(',', next.Data.Select(i => i.Id)), next.HasMore));
        Assert.Equal(("e", false), (string.Join(',', last.Data.Select(i => i.Id)), last.HasMore));
        Assert.Equal(["e", "d"], newest.Data.Select(i => i.Id));
        Assert.Equal(["b", "a"], older.Data.Select(i => i.Id));
        Assert.Equal(["a", "b"], before.Data.Select(i => i.Id));
    }

    [StoreFact]
    public async Task Update_DeleteItem_AndDelete_WithItsItems()
    {
        var conversation = await CreateAsync("a", "b");

        Assert.True(await Store.UpdateAsync(conversation with { Data = """{"metadata":{"k":"v"}}""" }, None));
        Assert.Equal("""{"metadata":{"k":"v"}}""", (await Store.GetAsync(conversation.Id, None))?.Data);
        Assert.True(await Store.DeleteItemAsync(conversation.Id, "a", None));
        Assert.False(await Store.DeleteItemAsync(conversation.Id, "a", None));
        Assert.Equal(["b"], (await Store.GetItemsAsync(conversation.Id, null, None)).Select(i => i.Id));

        Assert.True(await Store.DeleteAsync(conversation.Id, None));

        Assert.Null(await Store.GetAsync(conversation.Id, None));
        Assert.Empty(await Store.GetItemsAsync(conversation.Id, null, None));
        Assert.False(await Store.DeleteAsync(conversation.Id, None));
        Assert.False(await Store.UpdateAsync(conversation, None));
    }

    private async Task<StoredConversation> CreateAsync(params string[] itemIds)
    {
        var conversation = new StoredConversation { Id = "conv_" + Guid.NewGuid().ToString("N"), Data = "{}" };
        await Store.CreateAsync(conversation, itemIds.Select(id => Item(id)).ToList(), None);
        return conversation;
    }

    private static StoredItem Item(string id, string? data = null) => new(id, data ?? $$"""{"n":"{{id}}"}""");
}

using AgentHost.Core.Domain;
using AgentHost.Core.Storage;

namespace AgentHost.Storage.Contracts;

/// <summary>
/// A thread's attachments index (<see cref="IAgentStore.GetThreadAttachmentsAsync"/>): after every kind of message write
/// and delete it returns what a scan of the whole thread returns (<see cref="MessageAttachmentRow.FileIdsOf"/>, the
/// oracle), file for file and in the same order, per tool type.
/// </summary>
public abstract class AttachmentIndexContract<TFactory> : StoreContract<TFactory>
    where TFactory : IStoreFactory, new()
{
    private IAgentStore Store => Stores.Agents;

    [StoreFact]
    public async Task ThreadAttachments_FollowEveryMessageWrite_InTheOrderFilesWereFirstAttached()
    {
        var thread = Objects.Thread();
        var first = Attached(thread.Id, ("file_a", [ToolTypes.FileSearch]), ("file_b", [ToolTypes.CodeInterpreter, ToolTypes.FileSearch]), ("file_a", [ToolTypes.FileSearch]));
        await Store.CreateThreadAsync(thread, [first, Objects.Message(thread.Id)], None);
        await AssertIndexAsync(thread.Id, ["file_a", "file_b"], ["file_b"]);

        // A later message attaching a known file first and a new one after it adds only the new one, at the end.
        Assert.Null(await Store.TryAddMessageAsync(Attached(thread.Id, ("file_c", [ToolTypes.FileSearch]), ("file_a", [ToolTypes.CodeInterpreter])), None));
        await AssertIndexAsync(thread.Id, ["file_a", "file_b", "file_c"], ["file_b", "file_a"]);

        // A run's additional messages are indexed with the run.
        var run = Objects.Run(thread.Id);
        Assert.Null(await Store.TryCreateRunAsync(run, null, [Attached(thread.Id, ("file_d", [ToolTypes.CodeInterpreter]))], None));
        await AssertIndexAsync(thread.Id, ["file_a", "file_b", "file_c"], ["file_b", "file_a", "file_d"]);

        // Rewriting the first message without its attachments drops them; other messages' attachments of the same file stay.
        await Store.SaveMessageAsync(first with { Attachments = [first.Attachments[1]] }, None);
        await AssertIndexAsync(thread.Id, ["file_b", "file_c"], ["file_b", "file_a", "file_d"]);
        await Store.SaveMessageAsync(first with { Attachments = [], Metadata = new Dictionary<string, string> { ["edited"] = "yes" } }, None);
        await AssertIndexAsync(thread.Id, ["file_c"], ["file_a", "file_d"]);

        // Written back with its attachments, the first message's files lead again: the index keeps the message's place.
        await Store.SaveMessageAsync(first, None);
        await AssertIndexAsync(thread.Id, ["file_a", "file_b", "file_c"], ["file_b", "file_a", "file_d"]);
    }

    [StoreFact]
    public async Task ThreadAttachments_OfADeletedMessageOrThread_AreGone()
    {
        var thread = Objects.Thread();
        var first = Attached(thread.Id, ("file_a", [ToolTypes.FileSearch]));
        var second = Attached(thread.Id, ("file_b", [ToolTypes.FileSearch, ToolTypes.CodeInterpreter]));
        await Store.CreateThreadAsync(thread, [first, second], None);
        var other = Objects.Thread();
        await Store.CreateThreadAsync(other, [Attached(other.Id, ("file_a", [ToolTypes.FileSearch]))], None);

        Assert.True(await Store.DeleteMessageAsync(thread.Id, first.Id, None));
        await AssertIndexAsync(thread.Id, ["file_b"], ["file_b"]);
        Assert.False(await Store.DeleteMessageAsync(thread.Id, first.Id, None));

        Assert.True(await Store.DeleteThreadAsync(thread.Id, None));
        Assert.Empty(await Store.GetThreadAttachmentsAsync(thread.Id, ToolTypes.FileSearch, None));
        Assert.Empty(await Store.GetThreadAttachmentsAsync(thread.Id, ToolTypes.CodeInterpreter, None));
        await AssertIndexAsync(other.Id, ["file_a"], []);
    }

    [StoreFact]
    public async Task ThreadAttachments_OfARunsDiscardedMessages_AreGone_AndThoseItKeepsStay()
    {
        var thread = Objects.Thread();
        await Store.CreateThreadAsync(thread, [], None);
        var run = Objects.Run(thread.Id, RunStatus.InProgress);
        Assert.Null(await Store.TryCreateRunAsync(run, null, [], None));
        var partial = Attached(thread.Id, ("file_partial", [ToolTypes.FileSearch])) with { RunId = run.Id, Status = MessageStatus.InProgress };
        var finished = Attached(thread.Id, ("file_kept", [ToolTypes.FileSearch])) with { RunId = run.Id };
        await Store.SaveMessageWithStepAsync(partial, Objects.Step(run), None);
        await Store.SaveMessageAsync(finished, None);
        await AssertIndexAsync(thread.Id, ["file_partial", "file_kept"], []);

        await Store.DiscardUnfinishedWorkAsync(run.Id, None);

        await AssertIndexAsync(thread.Id, ["file_kept"], []);
    }

    /// <summary>A user message with the given files attached, each for its tool types.</summary>
    protected static ThreadMessage Attached(string threadId, params (string FileId, string[] Tools)[] files) => Objects.Message(threadId) with
    {
        Attachments = [.. files.Select(f => new MessageAttachment { FileId = f.FileId, Tools = [.. f.Tools.Select(t => new ToolDefinition { Type = t })] })],
    };

    /// <summary>Asserts the index's file ids per tool type, and that they are what a scan of the whole thread finds.</summary>
    private async Task AssertIndexAsync(string threadId, string[] fileSearch, string[] codeInterpreter)
    {
        var messages = await Store.GetThreadMessagesAsync(threadId, None);
        var searched = await Store.GetThreadAttachmentsAsync(threadId, ToolTypes.FileSearch, None);
        var given = await Store.GetThreadAttachmentsAsync(threadId, ToolTypes.CodeInterpreter, None);

        Assert.Equal(fileSearch, searched);
        Assert.Equal(codeInterpreter, given);
        Assert.Equal(MessageAttachmentRow.FileIdsOf(messages, ToolTypes.FileSearch), searched);
        Assert.Equal(MessageAttachmentRow.FileIdsOf(messages, ToolTypes.CodeInterpreter), given);
    }
}

using AgentHost.Core.Domain;
using AgentHost.Core.Storage;

namespace AgentHost.Storage.Contracts;

/// <summary>
/// Messages written before the thread attachments index, and what the stores' migration step must make of them: the
/// index holds what a scan of each thread finds, per tool type and in the same order, whatever the JSON holds (an empty
/// list, a file for no tool, a file attached twice, a file for two tools).
/// </summary>
public static class AttachmentIndexMigrationData
{
    /// <summary>The rows, written with the schema one step before the migration (SQL both stores accept).</summary>
    public const string OldRows =
        """
        INSERT INTO messages (id, project, thread_id, run_id, status, data) VALUES
            ('msg_old_1', 'proj_a', 'thread_old', NULL, 'completed', '{"id":"msg_old_1","created_at":1,"thread_id":"thread_old","role":"user","content":[],"attachments":[{"file_id":"file_b","tools":[{"type":"file_search"},{"type":"code_interpreter"}]},{"file_id":"file_a","tools":[{"type":"file_search"}]},{"file_id":"file_b","tools":[{"type":"file_search"}]}],"metadata":{}}'),
            ('msg_old_2', 'proj_a', 'thread_old', NULL, 'completed', '{"id":"msg_old_2","created_at":2,"thread_id":"thread_old","role":"user","content":[],"attachments":[{"file_id":"file_none","tools":[]}],"metadata":{}}'),
            ('msg_old_3', 'proj_a', 'thread_old', 'run_old', 'completed', '{"id":"msg_old_3","created_at":3,"thread_id":"thread_old","run_id":"run_old","role":"assistant","content":[],"attachments":[],"metadata":{}}'),
            ('msg_old_4', 'proj_a', 'thread_old', NULL, 'completed', '{"id":"msg_old_4","created_at":4,"thread_id":"thread_old","role":"user","content":[],"attachments":[{"file_id":"file_c","tools":[{"type":"code_interpreter"}]},{"file_id":"file_a","tools":[{"type":"code_interpreter"},{"type":"file_search"}]}],"metadata":{}}'),
            ('msg_other', 'default', 'thread_other', NULL, 'completed', '{"id":"msg_other","created_at":5,"thread_id":"thread_other","role":"user","content":[],"attachments":[{"file_id":"file_z","tools":[{"type":"file_search"}]}],"metadata":{}}');
        """;

    /// <summary>Asserts what the migration made of <see cref="OldRows"/>, read through the store.</summary>
    public static async Task AssertMigratedAsync(IAgentStore store)
    {
        var none = CancellationToken.None;
        Assert.Equal(["file_b", "file_a"], await store.GetThreadAttachmentsAsync("thread_old", ToolTypes.FileSearch, none));
        Assert.Equal(["file_b", "file_c", "file_a"], await store.GetThreadAttachmentsAsync("thread_old", ToolTypes.CodeInterpreter, none));
        Assert.Equal(["file_z"], await store.GetThreadAttachmentsAsync("thread_other", ToolTypes.FileSearch, none));
        Assert.Empty(await store.GetThreadAttachmentsAsync("thread_other", ToolTypes.CodeInterpreter, none));
        foreach (var type in new[] { ToolTypes.FileSearch, ToolTypes.CodeInterpreter })
        {
            Assert.Equal(MessageAttachmentRow.FileIdsOf(await store.GetThreadMessagesAsync("thread_old", none), type),
                await store.GetThreadAttachmentsAsync("thread_old", type, none));
        }

        // A backfilled message is indexed like a new one: deleting it removes its rows.
        Assert.True(await store.DeleteMessageAsync("thread_old", "msg_old_1", none));
        Assert.Equal(["file_a"], await store.GetThreadAttachmentsAsync("thread_old", ToolTypes.FileSearch, none));
    }
}

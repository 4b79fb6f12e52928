using AgentHost.Core.Domain;

namespace AgentHost.Core.Storage;

/// <summary>
/// One row of a thread's attachments index: a file attached to a message for one tool type, at the position of its first
/// attachment in the message's list. A file attached twice for the same tool is one row, so the index's order — the
/// message's, then <paramref name="Position"/> — is the order in which a scan of the messages first meets each file.
/// </summary>
public sealed record MessageAttachmentRow(int Position, string FileId, string ToolType)
{
    /// <summary>The message's rows, in its attachments' order.</summary>
    public static IReadOnlyList<MessageAttachmentRow> Of(ThreadMessage message)
    {
        if (message.Attachments.Count == 0)
        {
            return [];
        }

        var rows = new List<MessageAttachmentRow>();
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < message.Attachments.Count; i++)
        {
            var attachment = message.Attachments[i];
            foreach (var tool in attachment.Tools)
            {
                if (seen.Add((attachment.FileId, tool.Type)))
                {
                    rows.Add(new MessageAttachmentRow(i, attachment.FileId, tool.Type));
                }
            }
        }

        return rows;
    }

    /// <summary>
    /// The distinct ids of the files attached to <paramref name="messages"/> (oldest first) for <paramref name="toolType"/>,
    /// in the order they were first attached: what the index of a store returns, computed from the messages themselves.
    /// </summary>
    public static IReadOnlyList<string> FileIdsOf(IEnumerable<ThreadMessage> messages, string toolType) =>
    [
        .. messages.SelectMany(m => m.Attachments)
            .Where(a => a.Tools.Any(t => t.Type == toolType))
            .Select(a => a.FileId)
            .Distinct(StringComparer.Ordinal),
    ];
}

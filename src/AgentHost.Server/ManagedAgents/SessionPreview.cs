using System.Text.Json.Nodes;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// A live preview of an event still being produced (<c>event_start</c>, <c>event_delta</c>), for the streams that asked
/// for it with <c>event_deltas</c>; never stored. <see cref="After"/> is the last event of the session's log the turn had
/// appended when the preview was made, so a stream writes it after that event and before the next.
/// </summary>
/// <param name="Type">The preview's own type (<c>event_start</c>, <c>event_delta</c>).</param>
/// <param name="Json">The preview as the stream sends it.</param>
/// <param name="PreviewedType">The previewed event's type (<c>agent.message</c>, <c>agent.thinking</c>).</param>
internal sealed record SessionPreview(string Type, string Json, string PreviewedType, long After)
{
    public static SessionPreview Of(JsonObject preview, string previewedType, long after) => new((string)preview["type"]!, preview.ToJsonString(), previewedType, after);
}

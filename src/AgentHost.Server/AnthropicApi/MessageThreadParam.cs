using System.Text.Json;
using static AgentHost.Server.AnthropicApi.AnthropicField;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// The request's <c>thread</c>: <c>{"type": "create"}</c> (hold this conversation under the reply's id) or
/// <c>{"type": "continue", "previous_message_id": "msg_…"}</c> (only the new turn's messages are sent).
/// </summary>
internal sealed record MessageThreadParam(string? PreviousMessageId)
{
    public bool Continues => PreviousMessageId is not null;

    /// <summary>The body's <c>thread</c>, or null when it has none (or <c>null</c>).</summary>
    public static MessageThreadParam? Read(JsonElement body)
    {
        if (Object(body, "thread") is not { } thread)
        {
            return null;
        }

        switch (RequiredString(thread, "type", "thread"))
        {
            case "create":
                Allow(thread, "thread", "type");
                return new MessageThreadParam((string?)null);
            case "continue":
                Allow(thread, "thread", "type", "previous_message_id");
                var previous = RequiredString(thread, "previous_message_id", "thread");
                return previous.Length > 0 ? new MessageThreadParam(previous) : throw Invalid("thread.previous_message_id", "String should have at least 1 character");
            case var other:
                throw Invalid("thread.type", $"Input tag '{other}' found using 'type' does not match any of the expected tags: 'create', 'continue'");
        }
    }
}

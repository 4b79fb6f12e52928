using AgentHost.Server.Compat;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// A <c>thread</c> request the Messages API refuses, with the <c>error.details.error_code</c> the Anthropic SDKs
/// act on (a thread they lost is replayed in full under a new one).
/// </summary>
internal sealed class MessageThreadException(FailureKind kind, string errorCode, string message) : Exception(message)
{
    public FailureKind Kind { get; } = kind;

    public string ErrorCode { get; } = errorCode;

    public static MessageThreadException NotFound(string previousMessageId) => new(FailureKind.NotFound, "thread_not_found",
        $"thread.previous_message_id: no thread state was found for '{previousMessageId}'. Replay the full conversation with thread: {{\"type\": \"create\"}} to start a new thread.");

    public static MessageThreadException AlreadyContinued(string previousMessageId) => new(FailureKind.InvalidRequest, "thread_already_continued",
        $"thread.previous_message_id: '{previousMessageId}' has already been continued, and each response can be continued only once. Continue from the thread's most recent response id.");

    public static MessageThreadException ContinueInFlight(string previousMessageId) => new(FailureKind.InvalidRequest, "thread_continue_in_flight",
        $"thread.previous_message_id: another request is still continuing from '{previousMessageId}'. Wait for it to complete and continue from its response id.");

    public static MessageThreadException FingerprintMismatch(string field) => new(FailureKind.InvalidRequest, "thread_fingerprint_mismatch",
        $"{field}: differs from the value the thread was created with. Leave it out to use the stored value, or replay the full conversation with thread: {{\"type\": \"create\"}} to change it.");
}

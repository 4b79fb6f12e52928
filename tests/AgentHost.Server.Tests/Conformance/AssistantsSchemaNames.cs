namespace AgentHost.Server.Tests.Conformance;

/// <summary>Which spec component schema describes an Assistants API response body or stream event.</summary>
internal static class AssistantsSchemaNames
{
    /// <summary>The schema for a JSON response by its <c>object</c> field; null when it is not an Assistants object.</summary>
    /// <param name="route">The request path; it tells which list a <c>list</c> is.</param>
    public static string? ForResponse(string? objectType, string route) => objectType switch
    {
        "assistant" => "AssistantObject",
        "assistant.deleted" => "DeleteAssistantResponse",
        "thread" => "ThreadObject",
        "thread.deleted" => "DeleteThreadResponse",
        "thread.message" => "MessageObject",
        "thread.message.deleted" => "DeleteMessageResponse",
        "thread.run" => "RunObject",
        "thread.run.step" => "RunStepObject",
        "list" => ForList(route.Split('?')[0]),
        _ => null,
    };

    /// <summary>The schema for an event's data; null for <c>done</c>, whose data is <c>[DONE]</c>.</summary>
    public static string? ForEvent(string eventName) => eventName switch
    {
        "thread.created" => "ThreadObject",
        "thread.run.step.delta" => "RunStepDeltaObject",
        "thread.message.delta" => "MessageDeltaObject",
        "error" => "Error",
        _ when eventName.StartsWith("thread.run.step.", StringComparison.Ordinal) => "RunStepObject",
        _ when eventName.StartsWith("thread.run.", StringComparison.Ordinal) => "RunObject",
        _ when eventName.StartsWith("thread.message.", StringComparison.Ordinal) => "MessageObject",
        _ => null,
    };

    private static string? ForList(string path) => path switch
    {
        _ when path.EndsWith("/assistants", StringComparison.Ordinal) => "ListAssistantsResponse",
        _ when path.EndsWith("/messages", StringComparison.Ordinal) => "ListMessagesResponse",
        _ when path.EndsWith("/runs", StringComparison.Ordinal) => "ListRunsResponse",
        _ when path.EndsWith("/steps", StringComparison.Ordinal) => "ListRunStepsResponse",
        _ => null,
    };
}

namespace AgentHost.Server.Tests.Conformance;

/// <summary>The spec schema of each Responses stream event, and where the recorded original disagrees with the spec.</summary>
internal static class ResponsesSchemaNames
{
    private const string NullUser = "The recorded responses carry `user: null`; the spec types it as a string.";
    private const string NullUsage = "A response in progress carries `usage: null`; the spec types it as an object.";

    private static readonly Dictionary<string, string> Events = new(StringComparer.Ordinal)
    {
        ["response.created"] = "ResponseCreatedEvent",
        ["response.queued"] = "ResponseQueuedEvent",
        ["response.in_progress"] = "ResponseInProgressEvent",
        ["response.output_item.added"] = "ResponseOutputItemAddedEvent",
        ["response.output_item.done"] = "ResponseOutputItemDoneEvent",
        ["response.content_part.added"] = "ResponseContentPartAddedEvent",
        ["response.content_part.done"] = "ResponseContentPartDoneEvent",
        ["response.output_text.delta"] = "ResponseTextDeltaEvent",
        ["response.output_text.done"] = "ResponseTextDoneEvent",
        ["response.output_text.annotation.added"] = "ResponseOutputTextAnnotationAddedEvent",
        ["response.function_call_arguments.delta"] = "ResponseFunctionCallArgumentsDeltaEvent",
        ["response.function_call_arguments.done"] = "ResponseFunctionCallArgumentsDoneEvent",
        ["response.custom_tool_call_input.delta"] = "ResponseCustomToolCallInputDeltaEvent",
        ["response.custom_tool_call_input.done"] = "ResponseCustomToolCallInputDoneEvent",
        ["response.file_search_call.in_progress"] = "ResponseFileSearchCallInProgressEvent",
        ["response.file_search_call.searching"] = "ResponseFileSearchCallSearchingEvent",
        ["response.file_search_call.completed"] = "ResponseFileSearchCallCompletedEvent",
        ["response.mcp_list_tools.in_progress"] = "ResponseMCPListToolsInProgressEvent",
        ["response.mcp_list_tools.completed"] = "ResponseMCPListToolsCompletedEvent",
        ["response.mcp_list_tools.failed"] = "ResponseMCPListToolsFailedEvent",
        ["response.mcp_call.in_progress"] = "ResponseMCPCallInProgressEvent",
        ["response.mcp_call_arguments.delta"] = "ResponseMCPCallArgumentsDeltaEvent",
        ["response.mcp_call_arguments.done"] = "ResponseMCPCallArgumentsDoneEvent",
        ["response.mcp_call.completed"] = "ResponseMCPCallCompletedEvent",
        ["response.mcp_call.failed"] = "ResponseMCPCallFailedEvent",
        ["response.code_interpreter_call.in_progress"] = "ResponseCodeInterpreterCallInProgressEvent",
        ["response.code_interpreter_call_code.delta"] = "ResponseCodeInterpreterCallCodeDeltaEvent",
        ["response.code_interpreter_call_code.done"] = "ResponseCodeInterpreterCallCodeDoneEvent",
        ["response.code_interpreter_call.interpreting"] = "ResponseCodeInterpreterCallInterpretingEvent",
        ["response.code_interpreter_call.completed"] = "ResponseCodeInterpreterCallCompletedEvent",
        ["response.reasoning_summary_part.added"] = "ResponseReasoningSummaryPartAddedEvent",
        ["response.reasoning_summary_text.delta"] = "ResponseReasoningSummaryTextDeltaEvent",
        ["response.reasoning_summary_text.done"] = "ResponseReasoningSummaryTextDoneEvent",
        ["response.reasoning_summary_part.done"] = "ResponseReasoningSummaryPartDoneEvent",
        ["response.completed"] = "ResponseCompletedEvent",
        ["response.failed"] = "ResponseFailedEvent",
        ["response.incomplete"] = "ResponseIncompleteEvent",
        ["error"] = "ResponseErrorEvent",
    };

    public static string? ForEvent(string type) => Events.GetValueOrDefault(type);

    public static readonly IReadOnlyList<SpecDeviation> RecordedDeviations =
    [
        SpecDeviation.Null("Response", "/user", NullUser),
        .. Events.Values.Select(e => SpecDeviation.Null(e, "/response/user", NullUser)),
        .. Events.Values.Select(e => SpecDeviation.Null(e, "/response/usage", NullUsage)),
    ];
}

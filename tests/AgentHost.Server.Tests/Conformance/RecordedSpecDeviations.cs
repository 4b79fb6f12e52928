namespace AgentHost.Server.Tests.Conformance;

/// <summary>
/// Where the openai-dotnet recordings of the live Assistants API disagree with the spec in
/// <c>../shared/openai-spec</c>. Each entry was seen in the recordings; the server should answer
/// as the API did, so these are tolerated when its output is validated against the spec.
/// </summary>
internal static class RecordedSpecDeviations
{
    private const string StepExpiry =
        "Run steps carry `expires_at` where the spec requires `expired_at`, and no `metadata` at all.";

    private const string RestMessageLifecycle =
        "Messages read over REST omit `status`, `incomplete_details`, `completed_at` and `incomplete_at`; only streamed message events carry them.";

    private const string RunInstructions =
        "A run of an assistant without instructions has `instructions: null`; the spec types it as a string.";

    private const string EmptyPage = "An empty page has `first_id` and `last_id` null; the spec types them as strings.";

    public static readonly IReadOnlyList<SpecDeviation> All =
    [
        SpecDeviation.MissingRequired("RunStepObject", "", StepExpiry, "expired_at", "metadata"),
        SpecDeviation.MissingRequired("ListRunStepsResponse", "/data/*", StepExpiry, "expired_at", "metadata"),
        SpecDeviation.MissingRequired("MessageObject", "", RestMessageLifecycle, "status", "incomplete_details", "completed_at", "incomplete_at"),
        SpecDeviation.MissingRequired("ListMessagesResponse", "/data/*", RestMessageLifecycle, "status", "incomplete_details", "completed_at", "incomplete_at"),
        SpecDeviation.MissingRequired("MessageObject", "",
            "Modifying a message answers with the v1 field `file_ids: []` in place of `attachments`.", "attachments"),
        SpecDeviation.Null("RunObject", "/instructions", RunInstructions),
        SpecDeviation.Null("ListRunsResponse", "/data/*/instructions", RunInstructions),
        .. new[] { "ListAssistantsResponse", "ListMessagesResponse", "ListRunsResponse", "ListRunStepsResponse" }
            .SelectMany(list => new[] { SpecDeviation.Null(list, "/first_id", EmptyPage), SpecDeviation.Null(list, "/last_id", EmptyPage) }),
    ];
}

namespace AgentHost.Core.Files;

/// <summary>The <c>purpose</c> values <c>/v1/files</c> accepts, in the order the original listed them in its error.</summary>
public static class FilePurposes
{
    public const string Assistants = "assistants";
    public const string AssistantsOutput = "assistants_output";

    public static IReadOnlyList<string> Uploadable { get; } = ["fine-tune", "assistants", "batch", "user_data", "vision", "evals"];

    public static bool IsUploadable(string purpose) => Uploadable.Contains(purpose, StringComparer.Ordinal);

    /// <summary>The original's wording: <c>'x' is not one of ['fine-tune', …] - 'purpose'</c>.</summary>
    public static string NotOneOf(string purpose) =>
        $"'{purpose}' is not one of [{string.Join(", ", Uploadable.Select(p => $"'{p}'"))}] - 'purpose'";
}

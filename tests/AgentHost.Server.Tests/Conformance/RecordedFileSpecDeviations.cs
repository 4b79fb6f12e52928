namespace AgentHost.Server.Tests.Conformance;

/// <summary>
/// Where the recordings of the live Files and Vector Stores APIs disagree with the spec; tolerated when the server's
/// output is validated, since the server answers as the API did. Kept apart from <see cref="RecordedSpecDeviations"/>,
/// whose entries are each checked against the Assistants recordings.
/// </summary>
internal static class RecordedFileSpecDeviations
{
    private const string FileNulls = "Files carry `expires_at: null` and `status_details: null`; the spec types them as integer and string.";

    private const string StoreNulls = "Vector stores carry `name: null` and `expires_after: null` when unset; the spec types them as string and object.";

    public static readonly IReadOnlyList<SpecDeviation> All =
    [
        SpecDeviation.Null("VectorStoreObject", "/name", StoreNulls),
        SpecDeviation.Null("VectorStoreObject", "/expires_after", StoreNulls),
        SpecDeviation.Null("ListVectorStoresResponse", "/data/*/name", StoreNulls),
        SpecDeviation.Null("ListVectorStoresResponse", "/data/*/expires_after", StoreNulls),
        SpecDeviation.Null("OpenAIFile", "/expires_at", FileNulls),
        SpecDeviation.Null("OpenAIFile", "/status_details", FileNulls),
        SpecDeviation.Null("ListFilesResponse", "/data/*/expires_at", FileNulls),
        SpecDeviation.Null("ListFilesResponse", "/data/*/status_details", FileNulls),
    ];

    public static void AssertValid(System.Text.Json.JsonElement json, string schemaName)
    {
        var result = OpenApiSchemaValidator.Validate(json, schemaName).Tolerating(All);
        Assert.True(result.IsValid, result.ToString());
    }
}

namespace AgentHost.Bench;

/// <summary>Request bodies as raw JSON, so the client spends no time in a serializer or SDK.</summary>
internal static class Bodies
{
    public static string ThreadAndRun(string assistantId, bool stream) =>
        $$"""{"assistant_id":"{{assistantId}}","thread":{"messages":[{"role":"user","content":"Say hello."}]},"stream":{{(stream ? "true" : "false")}}}""";

    public const string Thread = """{"messages":[{"role":"user","content":"Say hello."}]}""";

    public const string ChatCompletion =
        """{"model":"gpt-4o","messages":[{"role":"user","content":"Say hello."}],"stream":true,"stream_options":{"include_usage":true}}""";
}

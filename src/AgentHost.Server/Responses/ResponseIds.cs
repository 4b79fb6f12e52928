using AgentHost.Core.Domain;

namespace AgentHost.Server.Responses;

/// <summary>Ids of responses, conversations and their items, in the original's prefixes.</summary>
internal static class ResponseIds
{
    public static string Response() => New("resp");

    public static string Conversation() => New("conv");

    public static string Message() => New("msg");

    public static string FunctionCall() => New("fc");

    public static string CustomToolCall() => New("ctc");

    public static string New(string prefix) => IdGenerator.New(prefix);

    /// <summary>The output item id of the engine's tool call <paramref name="callId"/>: stable, so a stream and a later read agree.</summary>
    public static string OfCall(string prefix, string callId) => $"{prefix}_{callId}";
}

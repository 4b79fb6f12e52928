using System.Text.Json.Nodes;
using AgentHost.Core.ManagedAgents;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// A session's history as the model reads it, from its event log: user messages, the agent's messages, and each tool
/// use with its result (a custom tool's from <c>user.custom_tool_result</c>, a denied call's from its
/// <c>user.tool_confirmation</c>). A use left without a result — its turn interrupted or its answer never given — gets one
/// saying so, as providers refuse a call with no result.
/// </summary>
internal static class SessionConversation
{
    private const string Unanswered = "The call did not finish: the turn it was made in was interrupted.";

    /// <summary>The conversation before <paramref name="runId"/>'s own output: every earlier turn, then this turn's user messages.</summary>
    public static List<ChatMessage> Before(IReadOnlyList<SessionEventRecord> events, string runId)
    {
        var messages = new List<ChatMessage>();
        ChatMessage? assistant = null;
        ChatMessage? results = null;
        var open = new List<string>();

        void Flush()
        {
            if (assistant is not null)
            {
                messages.Add(assistant);
                foreach (var callId in open)
                {
                    (results ??= new ChatMessage(ChatRole.Tool, [])).Contents.Add(new FunctionResultContent(callId, Unanswered));
                }

                if (results is not null)
                {
                    messages.Add(results);
                }
            }

            assistant = null;
            results = null;
            open.Clear();
        }

        foreach (var record in events)
        {
            if (record.RunId == runId && record.Type != "user.message")
            {
                continue;
            }

            var data = JsonNode.Parse(record.Data)!.AsObject();
            switch (record.Type)
            {
                case "user.message":
                    Flush();
                    messages.Add(new ChatMessage(ChatRole.User, [.. UserContent(data)]));
                    break;
                case "agent.message":
                    if (results is not null)
                    {
                        Flush();
                    }

                    (assistant ??= new ChatMessage(ChatRole.Assistant, [])).Contents.Add(new TextContent(Text(data["content"])));
                    break;
                case "agent.tool_use" or "agent.mcp_tool_use" or "agent.custom_tool_use" when record.CallId is { } callId:
                    if (results is not null)
                    {
                        Flush();
                    }

                    var arguments = data["input"]?.AsObject().ToDictionary(p => p.Key,
                        p => p.Value is null ? null : (object?)System.Text.Json.JsonSerializer.SerializeToElement(p.Value, ManagedAgentsJsonContext.Default.JsonNode)) ?? [];
                    var name = record.Type == "agent.mcp_tool_use" ? $"{(string?)data["mcp_server_name"]}__{(string?)data["name"]}" : (string)data["name"]!;
                    (assistant ??= new ChatMessage(ChatRole.Assistant, [])).Contents.Add(new FunctionCallContent(callId, name, arguments));
                    open.Remove(callId);
                    open.Add(callId);
                    break;
                case "agent.tool_result" or "agent.mcp_tool_result" or "user.custom_tool_result" when record.CallId is { } answered && open.Remove(answered):
                    var text = Text(data["content"]);
                    (results ??= new ChatMessage(ChatRole.Tool, [])).Contents.Add(new FunctionResultContent(answered,
                        data["is_error"]?.GetValue<bool>() == true ? "Error: " + text : text));
                    break;
                case "user.tool_confirmation" when record.CallId is { } decided && (string?)data["result"] == "deny" && open.Remove(decided):
                    (results ??= new ChatMessage(ChatRole.Tool, [])).Contents.Add(new FunctionResultContent(decided,
                        "Denied: " + ((string?)data["deny_message"] ?? "the user did not allow this call.")));
                    break;
            }
        }

        Flush();
        return messages;
    }

    private static IEnumerable<AIContent> UserContent(JsonObject message)
    {
        foreach (var block in message["content"]?.AsArray() ?? [])
        {
            switch ((string?)block?["type"])
            {
                case "text":
                    yield return new TextContent((string?)block!["text"] ?? string.Empty);
                    break;
                case "image" when block!["source"] is JsonObject { } source && (string?)source["type"] == "base64":
                    yield return new DataContent(Convert.FromBase64String((string)source["data"]!), (string)source["media_type"]!);
                    break;
                case "image" when block!["source"] is JsonObject { } source && (string?)source["type"] == "url":
                    yield return new UriContent(new Uri((string)source["url"]!), "image/*");
                    break;
                case "document" when block!["source"] is JsonObject { } source && (string?)source["type"] == "text":
                    yield return new TextContent((string?)source["data"] ?? string.Empty);
                    break;
            }
        }
    }

    private static string Text(JsonNode? content) =>
        string.Concat(content?.AsArray().Where(b => (string?)b?["type"] == "text").Select(b => (string?)b!["text"]) ?? []);
}

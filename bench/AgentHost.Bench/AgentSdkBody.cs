using System.Text;

namespace AgentHost.Bench;

/// <summary>
/// A Messages request the size and shape of a Claude Agent SDK turn (about 40 KB): a long system prompt as blocks
/// with <c>cache_control</c>, 25 tools with JSON schemas, and a few turns of tool use. Generated, not recorded.
/// </summary>
internal static class AgentSdkBody
{
    public const int ToolCount = 25;

    /// <summary>Each tool's input schema.</summary>
    public static readonly string Schema = "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\",\"description\":\"" + Filler("Path", 120)
        + "\"},\"limit\":{\"type\":\"integer\"},\"pattern\":{\"type\":\"string\"}},\"required\":[\"path\"]}";

    public static string Messages(string model, bool stream)
    {
        var json = new StringBuilder();
        json.Append($$"""{"model":"{{model}}","max_tokens":4096,"stream":{{(stream ? "true" : "false")}},"metadata":{"user_id":"{\"session_id\":\"bench-session\"}"},""");
        json.Append("\"system\":[{\"type\":\"text\",\"text\":\"You are a coding agent.\"},{\"type\":\"text\",\"text\":\"")
            .Append(Filler("Guideline", 14_000)).Append("\",\"cache_control\":{\"type\":\"ephemeral\"}}],");
        json.Append("\"tools\":[");
        for (var i = 0; i < ToolCount; i++)
        {
            json.Append(i > 0 ? "," : string.Empty)
                .Append("{\"name\":\"tool_").Append(i).Append("\",\"description\":\"").Append(Filler("Tool " + i, 600))
                .Append("\",\"input_schema\":").Append(Schema).Append('}');
        }

        json.Append("],\"messages\":[");
        json.Append($$"""{"role":"user","content":[{"type":"text","text":"{{Filler("Task", 1500)}}"}]},""");
        json.Append("""{"role":"assistant","content":[{"type":"text","text":"Reading the file."},{"type":"tool_use","id":"toolu_1","name":"tool_0","input":{"path":"src/app.ts"}}]},""");
        json.Append($$"""{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"{{Filler("line", 4000)}}"}]}""");
        json.Append("]}");
        return json.ToString();
    }

    /// <summary>Words up to about <paramref name="length"/> characters, safe inside a JSON string.</summary>
    public static string Filler(string seed, int length)
    {
        var text = new StringBuilder(length + 32);
        for (var i = 0; text.Length < length; i++)
        {
            text.Append(seed).Append(' ').Append(i).Append(" keeps the answer short and checks the result. ");
        }

        return text.ToString();
    }
}

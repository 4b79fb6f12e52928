using System.Buffers;
using System.Text;
using System.Text.Json;

namespace AgentHost.Server.AnthropicApi;

/// <summary>
/// Rebuilds the content blocks a streamed reply sent (from its <c>content_block_start</c> and deltas), so a thread
/// stores the reply exactly as the client assembled it: text, thinking with its signature, redacted thinking, and
/// tool_use (and the MCP connector's mcp_tool_use) with the input its JSON deltas spell, and mcp_tool_result blocks as sent.
/// </summary>
internal sealed class AnthropicContentRecorder
{
    private readonly List<Block> blocks = [];

    public void StartText() => blocks.Add(new Block("text"));

    public void StartThinking() => blocks.Add(new Block("thinking"));

    public void AddRedactedThinking(string data) => blocks.Add(new Block("redacted_thinking") { Data = data });

    /// <summary>A <c>tool_use</c> block, or an <c>mcp_tool_use</c> one when <paramref name="serverName"/> names the MCP server AgentHost called.</summary>
    public void StartToolUse(string id, string name, string? serverName = null) =>
        blocks.Add(new Block(serverName is null ? "tool_use" : "mcp_tool_use") { Id = id, Name = name, Server = serverName });

    /// <summary>A block sent whole (an <c>mcp_tool_result</c>), as its JSON.</summary>
    public void AddBlock(string json) => blocks.Add(new Block("raw") { Data = json });

    /// <summary>A <c>content_block_delta</c> of the latest block.</summary>
    public void Delta(string type, string value)
    {
        var block = blocks[^1];
        (type == "signature_delta" ? block.Signature : block.Text).Append(value);
    }

    /// <summary>The content blocks as a JSON array.</summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var block in blocks)
            {
                block.Write(writer);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private sealed record Block(string Type)
    {
        public StringBuilder Text { get; } = new();
        public StringBuilder Signature { get; } = new();
        public string? Id { get; init; }
        public string? Name { get; init; }
        public string? Data { get; init; }
        public string? Server { get; init; }

        public void Write(Utf8JsonWriter writer)
        {
            if (Type == "raw")
            {
                writer.WriteRawValue(Data!);
                return;
            }

            writer.WriteStartObject();
            writer.WriteString("type", Type);
            switch (Type)
            {
                case "text":
                    writer.WriteString("text", Text.ToString());
                    break;
                case "thinking":
                    writer.WriteString("thinking", Text.ToString());
                    writer.WriteString("signature", Signature.ToString());
                    break;
                case "redacted_thinking":
                    writer.WriteString("data", Data);
                    break;
                default:
                    writer.WriteString("id", Id);
                    writer.WriteString("name", Name);
                    if (Server is not null)
                    {
                        writer.WriteString("server_name", Server);
                    }

                    writer.WritePropertyName("input");
                    var json = Text.Length == 0 ? "{}" : Text.ToString();
                    try
                    {
                        using var input = JsonDocument.Parse(json);
                        input.RootElement.WriteTo(writer);
                    }
                    catch (JsonException)
                    {
                        // Input the model left unfinished is kept as the API would show it: an empty object.
                        writer.WriteStartObject();
                        writer.WriteEndObject();
                    }

                    break;
            }

            writer.WriteEndObject();
        }
    }
}

using System.Buffers;
using System.Text;
using System.Text.Json;

namespace AgentHost.Server.Runs;

/// <summary>
/// Writes Assistants server-sent events (<c>event: {name}\ndata: {json}\n\n</c>) as UTF-8 straight into a buffer — the
/// response's pipe when streaming. Each event's JSON is written once by one reused <see cref="Utf8JsonWriter"/> into a
/// reused scratch buffer, then framed under one or more names (created/in_progress pairs share their data).
/// </summary>
internal sealed class AssistantsSseWriter(IBufferWriter<byte> output)
{
    private readonly ArrayBufferWriter<byte> data = new(1024);
    private Utf8JsonWriter? json;

    /// <summary>A writer for the next event's JSON, positioned at an empty scratch buffer.</summary>
    public Utf8JsonWriter BeginData()
    {
        data.ResetWrittenCount();
        if (json is null)
        {
            json = new Utf8JsonWriter(data);
        }
        else
        {
            json.Reset(data);
        }

        return json;
    }

    /// <summary>Writes one event named <paramref name="name"/> followed by <paramref name="suffix"/>, with the JSON written since <see cref="BeginData"/>.</summary>
    public void Frame(string name, string? suffix = null)
    {
        json!.Flush();
        output.Write("event: "u8);
        Encoding.UTF8.GetBytes(name, output);
        if (suffix is not null)
        {
            Encoding.UTF8.GetBytes(suffix, output);
        }

        output.Write("\ndata: "u8);
        output.Write(data.WrittenSpan);
        output.Write("\n\n"u8);
    }

    /// <summary>Writes one event whose data is already text (the endpoint's own events, <c>done</c>).</summary>
    public void Frame(AssistantsSseEvent sseEvent)
    {
        output.Write("event: "u8);
        Encoding.UTF8.GetBytes(sseEvent.Name, output);
        output.Write("\ndata: "u8);
        Encoding.UTF8.GetBytes(sseEvent.Data, output);
        output.Write("\n\n"u8);
    }

    /// <summary>Reads frames written by this writer back into events (compact JSON holds no raw line break).</summary>
    public static AssistantsSseEvent[] Parse(ReadOnlySpan<byte> frames)
    {
        var events = new List<AssistantsSseEvent>();
        while (!frames.IsEmpty)
        {
            var nameEnd = frames.IndexOf((byte)'\n');
            var name = Encoding.UTF8.GetString(frames["event: ".Length..nameEnd]);
            frames = frames[(nameEnd + 1)..];
            var dataEnd = frames.IndexOf((byte)'\n');
            events.Add(new AssistantsSseEvent(name, Encoding.UTF8.GetString(frames["data: ".Length..dataEnd])));
            frames = frames[(dataEnd + 2)..];
        }

        return [.. events];
    }
}

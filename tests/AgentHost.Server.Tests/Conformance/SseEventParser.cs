using System.Text;

namespace AgentHost.Server.Tests.Conformance;

/// <summary>
/// Assembles events from text/event-stream lines as the HTML standard says: fields until a blank
/// line, <c>data</c> lines joined by newlines, comments ignored, an unnamed event is <c>message</c>,
/// and an unfinished event at the end of the stream is dropped.
/// </summary>
internal sealed class SseEventParser
{
    private readonly StringBuilder _data = new();
    private string? _event;
    private bool _hasData;

    public static IReadOnlyList<SseEvent> Parse(string stream)
    {
        var parser = new SseEventParser();
        var events = new List<SseEvent>();
        foreach (var line in stream.ReplaceLineEndings("\n").Split('\n'))
        {
            if (parser.Accept(line) is { } parsed)
            {
                events.Add(parsed);
            }
        }

        return events;
    }

    /// <summary>Takes one line (without its line break); returns the event a blank line completes.</summary>
    public SseEvent? Accept(string line)
    {
        if (line.Length == 0)
        {
            return Dispatch();
        }

        if (line[0] == ':')
        {
            return null;
        }

        var colon = line.IndexOf(':');
        var field = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? "" : line[(colon + 1)..];
        if (value.StartsWith(' '))
        {
            value = value[1..];
        }

        if (field == "event")
        {
            _event = value;
        }
        else if (field == "data")
        {
            if (_hasData)
            {
                _data.Append('\n');
            }

            _data.Append(value);
            _hasData = true;
        }

        return null;
    }

    private SseEvent? Dispatch()
    {
        var parsed = _hasData ? new SseEvent(_event ?? "message", _data.ToString()) : null;
        _data.Clear();
        _event = null;
        _hasData = false;
        return parsed;
    }
}

using System.Text;
using System.Text.Json.Nodes;
using AgentHost.Server.Responses;
using Microsoft.AspNetCore.Http;

namespace AgentHost.Server.Tests.Responses;

/// <summary>The stream writes events into the response's pipe in the same bytes the previous string rendering gave.</summary>
public sealed class ResponseEventStreamTests
{
    [Fact]
    public async Task BufferedEvents_AreTheBytesOfTheStringRendering_AndGoOutOnFlush()
    {
        var events = new[]
        {
            JsonNode.Parse("""{"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"It's <b>\"warm\"</b> & café 😀 \u2028\n","logprobs":[]}""")!.AsObject(),
            new JsonObject { ["type"] = "response.completed", ["sequence_number"] = 5L, ["response"] = new JsonObject { ["id"] = "resp_1", ["output"] = new JsonArray(1.5, null, true, "x\ty") } },
        };
        var old = string.Concat(events.Select(e => $"event: {(string)e["type"]!}\ndata: {e.ToJsonString()}\n\n"));
        var body = new MemoryStream();
        var http = new DefaultHttpContext();
        http.Response.Body = body;
        var stream = new ResponseEventStream(http.Response);

        stream.Write(events[0]);
        stream.Write(events[1]);
        stream.WriteRaw("response.completed", events[1].ToJsonString());
        Assert.Equal(0, body.Length);
        await stream.FlushAsync(CancellationToken.None);

        Assert.Equal(old + $"event: response.completed\ndata: {events[1].ToJsonString()}\n\n", Encoding.UTF8.GetString(body.ToArray()));
    }
}

using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Json;

namespace AgentHost.Storage.Sqlite.Tests;

/// <summary>A row parsed once is reused only while its JSON is the same text.</summary>
public sealed class SqliteParsedRowsTests
{
    private static readonly ThreadMessage Message = new()
    {
        Id = "msg_a", CreatedAt = 1, ThreadId = "thread_a", Role = "user", Content = [MessageContent.FromText("first")],
    };

    [Fact]
    public void TheSameJson_IsParsedOnce()
    {
        var rows = new SqliteParsedRows<ThreadMessage>(maxChars: 100_000, CoreJsonContext.Default.ThreadMessage);
        var json = JsonSerializer.Serialize(Message, CoreJsonContext.Default.ThreadMessage);

        Assert.Same(rows.Parse("msg_a", json), rows.Parse("msg_a", new string(json)));
    }

    [Fact]
    public void ARewrittenRow_IsParsedAfresh()
    {
        var rows = new SqliteParsedRows<ThreadMessage>(maxChars: 100_000, CoreJsonContext.Default.ThreadMessage);
        rows.Parse("msg_a", JsonSerializer.Serialize(Message, CoreJsonContext.Default.ThreadMessage));

        var edited = rows.Parse("msg_a", JsonSerializer.Serialize(Message with { Content = [MessageContent.FromText("edited")] }, CoreJsonContext.Default.ThreadMessage));

        Assert.Equal("edited", edited.Content[0].Text!.Value);
    }

    [Fact]
    public void PastTheBound_RowsAreParsedAgain()
    {
        var json = JsonSerializer.Serialize(Message, CoreJsonContext.Default.ThreadMessage);
        var rows = new SqliteParsedRows<ThreadMessage>(maxChars: 64 * (json.Length + 1), CoreJsonContext.Default.ThreadMessage);
        var first = rows.Parse("msg_a", json);

        for (var i = 0; i < 64; i++)
        {
            rows.Parse($"msg_{i}", json);
        }

        Assert.NotSame(first, rows.Parse("msg_a", json));
    }

    [Fact]
    public void ALongRow_IsNotKept()
    {
        var json = JsonSerializer.Serialize(Message with { Content = [MessageContent.FromText(new string('x', 2_000))] }, CoreJsonContext.Default.ThreadMessage);
        var rows = new SqliteParsedRows<ThreadMessage>(maxChars: 64 * 1_000, CoreJsonContext.Default.ThreadMessage);

        Assert.NotSame(rows.Parse("msg_a", json), rows.Parse("msg_a", json));
    }
}

using AgentHost.Core.Tokens;
using AgentHost.Retrieval.Chunking;

namespace AgentHost.Retrieval.Tests.Chunking;

public sealed class TextChunkerTests
{
    private static readonly TiktokenCounter Counter = new();

    internal static string LongText(int sentences) => string.Join(" ", Enumerable.Range(1, sentences).Select(i =>
        $"Sentence number {i} talks about topic {i % 7} and the weather in city {i % 13}, which was mild."));

    [Fact]
    public void ShortText_IsOneChunk()
    {
        var chunks = TextChunker.Chunk("A short note about retrieval.", 100, 20);

        var chunk = Assert.Single(chunks);
        Assert.Equal("A short note about retrieval.", chunk.Text);
        Assert.Equal(Counter.CountTokens(chunk.Text), chunk.TokenCount);
    }

    [Fact]
    public void EmptyText_HasNoChunks() => Assert.Empty(TextChunker.Chunk("  \n ", 100, 20));

    [Theory]
    [InlineData(100, 0)]
    [InlineData(100, 50)]
    [InlineData(300, 120)]
    public void EveryChunk_StaysWithinTheTokenLimit(int max, int overlap)
    {
        var chunks = TextChunker.Chunk(LongText(200), max, overlap);

        Assert.True(chunks.Count > 5);
        Assert.All(chunks, c => Assert.InRange(c.TokenCount, 1, max));
        Assert.All(chunks, c => Assert.InRange(Counter.CountTokens(c.Text), 1, max));
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Index));
    }

    [Fact]
    public void ConsecutiveChunks_OverlapAndCoverTheWholeText()
    {
        var text = LongText(120);

        var chunks = TextChunker.Chunk(text, 100, 30);

        Assert.StartsWith(chunks[0].Text, text, StringComparison.Ordinal);
        Assert.EndsWith(chunks[^1].Text, text, StringComparison.Ordinal);
        for (var i = 1; i < chunks.Count; i++)
        {
            var previousEnd = text.IndexOf(chunks[i - 1].Text, StringComparison.Ordinal) + chunks[i - 1].Text.Length;
            var start = text.IndexOf(chunks[i].Text, StringComparison.Ordinal);
            Assert.True(start < previousEnd, $"chunk {i} starts at {start}, after the previous chunk ended at {previousEnd}");
            var shared = Counter.CountTokens(text[start..previousEnd]);
            Assert.InRange(shared, 20, 32);
        }
    }

    [Fact]
    public void WithoutOverlap_ChunksTileTheText()
    {
        var text = LongText(80);

        var chunks = TextChunker.Chunk(text, 100, 0);

        Assert.Equal(text, string.Concat(chunks.Select(c => c.Text)));
    }

    [Fact]
    public void Chunks_EndAtSentenceBoundariesWhenOneIsNear()
    {
        var chunks = TextChunker.Chunk(LongText(100), 100, 0);

        Assert.All(chunks.SkipLast(1), c => Assert.EndsWith(".", c.Text, StringComparison.Ordinal));
    }
}

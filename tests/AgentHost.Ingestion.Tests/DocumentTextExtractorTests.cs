using System.IO.Compression;
using System.Text;
using AgentHost.Core.VectorStores;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Ingestion.Tests;

public sealed class DocumentTextExtractorTests
{
    [Fact]
    public async Task ZipBomb_FailsBeforeItIsExpanded()
    {
        var extractor = new DocumentTextExtractor(new ExtractionLimits { MaxOfficeExpandedBytes = 1024 * 1024 }, TimeProvider.System);
        using var bomb = new MemoryStream();
        using (var zip = new ZipArchive(bomb, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var entry = zip.CreateEntry("word/document.xml", CompressionLevel.SmallestSize).Open();
            await entry.WriteAsync(new byte[16 * 1024 * 1024]);
        }

        bomb.Position = 0;
        Assert.True(bomb.Length < 100 * 1024, "the bomb compresses well");

        var failure = await Assert.ThrowsAsync<TextExtractionException>(() => extractor.ExtractAsync("report.docx", bomb, CancellationToken.None));

        Assert.Equal(IngestionErrorCodes.InvalidFile, failure.Code);
        Assert.Contains("MaxOfficeExpandedBytes", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExtractionPastTheTimeLimit_FailsTheFile()
    {
        var time = new FakeTimeProvider();
        var extractor = new DocumentTextExtractor(new ExtractionLimits { MaxTimePerFile = TimeSpan.FromSeconds(30) }, time);
        using var stuck = new StuckStream();

        var extraction = extractor.ExtractAsync("notes.txt", stuck, CancellationToken.None);
        await stuck.Reading.Task.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(31));
        var failure = await Assert.ThrowsAsync<TextExtractionException>(() => extraction);

        Assert.Contains("MaxTimePerFile", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonSeekableText_IsReadStreamed_AndTooMuchTextFails()
    {
        var extractor = new DocumentTextExtractor(new ExtractionLimits { MaxTextChars = 100_000 }, TimeProvider.System);
        var small = new NonSeekable(Encoding.UTF8.GetBytes("hello world"));
        var large = new NonSeekable(Encoding.UTF8.GetBytes(new string('a', 200_000)));

        var text = await extractor.ExtractAsync("a.md", small, CancellationToken.None);
        var failure = await Assert.ThrowsAsync<TextExtractionException>(() => extractor.ExtractAsync("b.md", large, CancellationToken.None));

        Assert.Equal("hello world", text);
        Assert.Contains("MaxTextChars", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BinaryContent_IsRefusedAsNotText()
    {
        var extractor = new DocumentTextExtractor(new ExtractionLimits(), TimeProvider.System);

        var failure = await Assert.ThrowsAsync<TextExtractionException>(() => extractor.ExtractAsync("a.txt", new MemoryStream([0x41, 0x00, 0x42]), CancellationToken.None));

        Assert.Contains("binary", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>A seekable stream whose first read never returns until disposed.</summary>
    private sealed class StuckStream : MemoryStream
    {
        private readonly ManualResetEventSlim released = new();

        public TaskCompletionSource Reading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            Reading.TrySetResult();
            released.Wait();
            return 0;
        }

        protected override void Dispose(bool disposing)
        {
            released.Set();
            base.Dispose(disposing);
        }
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

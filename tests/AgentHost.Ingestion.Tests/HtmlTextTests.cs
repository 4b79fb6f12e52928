using System.Diagnostics;
using AgentHost.Core.VectorStores;

namespace AgentHost.Ingestion.Tests;

public sealed class HtmlTextTests
{
    [Fact]
    public void VisibleText_KeepsBlocksApart_SkipsHiddenElementsAndComments_AndDecodesEntities()
    {
        const string html = """
            <html><head><title>Ignored head</title><style>p { color: red }</style></head>
            <body><h1>Widgets &amp; gadgets</h1><!-- a comment <p>not shown</p> -->
            <p>First <b>bold</b> paragraph.</p><script>var x = "<p>no</p>";</script><p>Second&nbsp;one &lt;3</p>
            </body></html>
            """;

        var text = HtmlText.Read(html, 1_000, CancellationToken.None);

        Assert.Equal("Widgets & gadgets\nFirst bold paragraph.\nSecond\u00a0one <3", text);
    }

    [Theory]
    [InlineData('<')]
    [InlineData('&')]
    public void TenMegabytesOfOneMarkupCharacter_IsReadInLinearTime(char repeated)
    {
        var html = new string(repeated, 10_000_000);
        var clock = Stopwatch.StartNew();

        var text = HtmlText.Read(html, 20_000_000, CancellationToken.None);

        Assert.Equal(10_000_000, text.Length);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public void UnclosedScriptsAndTags_EndTheTextInsteadOfRescanning()
    {
        var html = "Before " + string.Concat(Enumerable.Repeat("<script><a ", 200_000));

        Assert.Equal("Before", HtmlText.Read(html, 1_000, CancellationToken.None));
    }

    [Fact]
    public void TextPastTheLimit_FailsTheFile()
    {
        var failure = Assert.Throws<TextExtractionException>(() => HtmlText.Read("<p>" + new string('x', 2_000) + "</p>", 1_000, CancellationToken.None));

        Assert.Equal(IngestionErrorCodes.InvalidFile, failure.Code);
        Assert.Contains("MaxTextChars", failure.Message, StringComparison.Ordinal);
    }
}

using AgentHost.Providers.Resilience;

namespace AgentHost.Providers.Tests.Resilience;

public sealed class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Theory]
    [InlineData("250", "7", 0.25)]
    [InlineData(null, "7", 7)]
    [InlineData(null, "0.5", 0.5)]
    [InlineData(null, "Fri, 02 Jan 2026 03:04:35 GMT", 30)]
    [InlineData(null, "Fri, 02 Jan 2026 03:00:00 GMT", 0)]
    public void Parse_ReadsMillisecondsSecondsAndHttpDates(string? retryAfterMs, string retryAfter, double expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryAfterHeader.Parse(retryAfterMs, retryAfter, Now));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("soon", "later")]
    [InlineData("-5", "-1")]
    public void Parse_WithoutAUsableHeader_ReturnsNull(string? retryAfterMs, string? retryAfter)
    {
        Assert.Null(RetryAfterHeader.Parse(retryAfterMs, retryAfter, Now));
    }
}

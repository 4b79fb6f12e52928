using System.Text.RegularExpressions;
using AgentHost.Core.Domain;

namespace AgentHost.Core.Tests.Domain;

public sealed class IdGeneratorTests
{
    [Fact]
    public void Ids_KeepTheOriginalsForm()
    {
        Assert.Matches(new Regex("^run_[A-Za-z0-9]{24}$"), IdGenerator.Run());
        Assert.Matches(new Regex("^thread_[A-Za-z0-9]{24}$"), IdGenerator.Thread());
    }

    [Fact]
    public void IdsMadeLater_SortAfterEarlierOnes_AsTheirIndexReadsThem()
    {
        var earlier = IdGenerator.Message();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        string later;
        do
        {
            later = IdGenerator.Message();
        }
        while (later[..12] == earlier[..12] && DateTime.UtcNow < deadline);

        // Once the clock has moved on a millisecond, byte order (SQLite's BINARY collation) is creation order.
        Assert.True(string.CompareOrdinal(earlier, later) < 0, $"{earlier} sorts after {later}");
    }

    [Fact]
    public void IdsMadeInTheSameMillisecond_StillDiffer()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => IdGenerator.Step()).ToHashSet();
        Assert.Equal(10_000, ids.Count);
    }

    [Fact]
    public void RandomAlphanumerics_AreAllRandom()
    {
        var values = Enumerable.Range(0, 200).Select(_ => IdGenerator.RandomAlphanumerics(48)).ToList();

        // No shared leading characters beyond chance, as a time prefix would give.
        Assert.True(values.Select(v => v[..4]).Distinct().Count() > 190);
        Assert.All(values, v => Assert.Matches(new Regex("^[A-Za-z0-9]{48}$"), v));
    }
}

namespace AgentHost.Sandbox.Tests;

public sealed class UidPoolTests
{
    [Fact]
    public void TwoPoolsInOneProcess_StartAtDifferentUids()
    {
        var first = new UidPool(61000, 1000);
        var second = new UidPool(61000, 1000);

        Assert.NotEqual(first.Rent(), second.Rent());
    }

    [Fact]
    public void APool_NeverHandsOutATakenUid_AndReusesReturnedOnes()
    {
        var pool = new UidPool(61000, 3);
        var rented = new[] { pool.Rent(), pool.Rent(), pool.Rent() };

        Assert.Equal(3, rented.Distinct().Count());
        Assert.All(rented, uid => Assert.InRange(uid, 61000, 61002));
        Assert.Throws<InvalidOperationException>(() => pool.Rent());
        pool.Return(rented[1]);
        Assert.Equal(rented[1], pool.Rent());
    }
}

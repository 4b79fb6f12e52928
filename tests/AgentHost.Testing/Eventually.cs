namespace AgentHost.Testing;

/// <summary>Waits for a condition, checking it often, and fails the test if the deadline passes first.</summary>
public static class Eventually
{
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? deadline = null) =>
        ReturnsAsync(() => Task.FromResult<object?>(condition() ? true : null), _ => true, what, deadline);

    public static async Task<T> ReturnsAsync<T>(Func<Task<T?>> probe, Func<T, bool> done, string what, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await probe();
            if (value is not null && done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > until)
            {
                throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}; last seen: {value}");
            }

            await Task.Delay(5);
        }
    }
}

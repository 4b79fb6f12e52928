using AgentHost.Core.Files;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Storage.Contracts;

/// <summary>
/// The base of every contract class: a fresh set of <typeparamref name="TFactory"/>'s stores per test, on a fake clock
/// so expiry is tested by moving time, never by waiting.
/// </summary>
public abstract class StoreContract<TFactory> : IAsyncLifetime
    where TFactory : IStoreFactory, new()
{
    private StoreSet? stores;

    protected static TFactory Factory { get; } = new();

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Small limits, so the over-limit paths are cheap to reach.</summary>
    protected FileLimits Limits { get; } = new() { MaxFileBytes = 64 * 1024, MaxPartBytes = 16 * 1024 };

    protected StoreSet Stores => stores ?? throw new InvalidOperationException("The stores open in InitializeAsync.");

    protected static CancellationToken None => CancellationToken.None;

    public async Task InitializeAsync()
    {
        if (Factory.Unavailable is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        stores = await Factory.OpenAsync(Time, Limits);
    }

    public async Task DisposeAsync()
    {
        if (stores is not null)
        {
            await stores.DisposeAsync();
        }
    }
}

using AgentHost.Core.RateLimits;
using AgentHost.Testing.Requirements;

namespace AgentHost.Storage.Postgres.Tests;

/// <summary>The rate-limit counters two nodes share: every charge counted once, whatever node made it, and old windows dropped.</summary>
public sealed class PostgresRateLimitCounterTests
{
    [RequiresFact("postgres")]
    public async Task TwoNodesChargingTheSameCounters_AtOnce_AddUpExactly()
    {
        await using var test = await TestDatabase.CreateAsync();
        await using var nodeA = test.Open();
        await using var nodeB = test.Open();
        var counters = new[] { new PostgresRateLimitCounter(nodeA), new PostgresRateLimitCounter(nodeB) };

        // 2 × 50 calls, each charging the project's and its key's counter of the same window, in either order.
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => counters[i % 2].AddAsync(
            i % 3 == 0
                ? [new("key:key_1:gpt-4o", 1000, 1, 10), new("project:proj_1:gpt-4o", 1000, 1, 10)]
                : [new("project:proj_1:gpt-4o", 1000, 1, 10), new("key:key_1:gpt-4o", 1000, 1, 10)],
            CancellationToken.None).AsTask()));
        var after = await counters[0].AddAsync([new("project:proj_1:gpt-4o", 1000, -1, -5), new("key:key_1:gpt-4o", 1000, 0, 0)], CancellationToken.None);

        Assert.Equal([new RateLimitCount(99, 995), new RateLimitCount(100, 1000)], after);
    }

    [RequiresFact("postgres")]
    public async Task WindowsOlderThanThePreviousMinute_AreDropped_WhenANewMinuteStarts()
    {
        await using var test = await TestDatabase.CreateAsync();
        await using var database = test.Open();
        var counter = new PostgresRateLimitCounter(database);
        await counter.AddAsync([new("project:p:m", 1000, 1, 1)], CancellationToken.None);
        await counter.AddAsync([new("project:p:m", 1001, 1, 1)], CancellationToken.None);

        var totals = await counter.AddAsync([new("project:p:m", 1002, 1, 1)], CancellationToken.None);

        Assert.Equal([new RateLimitCount(1, 1)], totals);
        Assert.Equal([1001L, 1002L], await WindowsAsync(test));
    }

    private static async Task<List<long>> WindowsAsync(TestDatabase test)
    {
        await using var connection = new Npgsql.NpgsqlConnection(test.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT window_start FROM rate_limit_windows ORDER BY window_start", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var windows = new List<long>();
        while (await reader.ReadAsync())
        {
            windows.Add(reader.GetInt64(0));
        }

        return windows;
    }
}

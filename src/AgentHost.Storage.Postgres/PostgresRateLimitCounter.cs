using AgentHost.Core.RateLimits;
using Npgsql;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// The rate-limit counters every node shares: one row per counter and minute in <c>rate_limit_windows</c>, added to by
/// one upsert per model call (one round trip for all of the call's counters). Rows are locked in bucket order, so two
/// calls charging the same counters cannot deadlock. Windows older than the previous minute are deleted in the same
/// round trip, once a minute per node.
/// </summary>
public sealed class PostgresRateLimitCounter(PostgresDatabase database) : IRateLimitCounter
{
    private const string Upsert = """
        INSERT INTO rate_limit_windows AS w (bucket, window_start, requests, tokens)
        SELECT * FROM unnest(@buckets::text[], @windows::bigint[], @requests::bigint[], @tokens::bigint[])
        ON CONFLICT (bucket, window_start) DO UPDATE SET requests = w.requests + excluded.requests, tokens = w.tokens + excluded.tokens
        RETURNING bucket, requests, tokens
        """;

    private long prunedBefore;

    public async ValueTask<RateLimitCount[]> AddAsync(IReadOnlyList<RateLimitCharge> charges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        var ordered = charges.OrderBy(c => c.Bucket, StringComparer.Ordinal).ToArray();
        var newest = ordered.Max(c => c.WindowStart);
        var prune = Interlocked.Exchange(ref prunedBefore, newest - 1) < newest - 1;
        var totals = await database.ReadAsync(async (connection, ct) =>
        {
            await using var batch = connection.CreateBatch();
            if (prune)
            {
                batch.Add("DELETE FROM rate_limit_windows WHERE window_start < @before", ("@before", newest - 1));
            }

            batch.Add(Upsert, ("@buckets", ordered.Select(c => c.Bucket).ToArray()), ("@windows", ordered.Select(c => c.WindowStart).ToArray()),
                ("@requests", ordered.Select(c => c.Requests).ToArray()), ("@tokens", ordered.Select(c => c.Tokens).ToArray()));
            await using var reader = await batch.ExecuteReaderAsync(ct);
            var byBucket = new Dictionary<string, RateLimitCount>(StringComparer.Ordinal);
            while (await reader.ReadAsync(ct))
            {
                byBucket[reader.GetString(0)] = new RateLimitCount(reader.GetInt64(1), reader.GetInt64(2));
            }

            return byBucket;
        }, cancellationToken);
        return [.. charges.Select(c => totals[c.Bucket])];
    }
}

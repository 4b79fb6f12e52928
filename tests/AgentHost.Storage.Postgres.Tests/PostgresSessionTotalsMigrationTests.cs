using AgentHost.Storage.Contracts;
using AgentHost.Testing.Requirements;

namespace AgentHost.Storage.Postgres.Tests;

/// <summary>The upgrade to per-project session totals (a step of <see cref="PostgresSchema"/>) on a schema that has totals already.</summary>
public sealed class PostgresSessionTotalsMigrationTests
{
    [RequiresFact("postgres")]
    public async Task ExistingSessionTotals_BelongToTheProjectOfTheirCalls_AndASessionOfTwoProjectsIsSplit()
    {
        await using var test = await TestDatabase.CreateAsync();
        var migration = PostgresSchema.Steps.Single(s => s.Contains("CREATE TEMP TABLE shared_sessions", StringComparison.Ordinal));
        await OldPostgresSchema.CreateAsync(test, migration, SessionTotalsMigrationData.OldRows);

        await using var database = test.Open();
        await database.MigrateAsync();

        await SessionTotalsMigrationData.AssertMigratedAsync(new PostgresUsageLedger(database));
    }
}

using AgentHost.Storage.Contracts;
using AgentHost.Testing.Requirements;
using Npgsql;

namespace AgentHost.Storage.Postgres.Tests;

/// <summary>The upgrade to per-project session totals (the last step of <see cref="PostgresSchema"/>) on a schema that has totals already.</summary>
public sealed class PostgresSessionTotalsMigrationTests
{
    [RequiresFact("postgres")]
    public async Task ExistingSessionTotals_BelongToTheProjectOfTheirCalls_AndASessionOfTwoProjectsIsSplit()
    {
        await using var test = await TestDatabase.CreateAsync();
        Assert.Contains("usage_totals_by_project", PostgresSchema.Steps[^1], StringComparison.Ordinal);
        await using (var connection = new NpgsqlConnection(test.ConnectionString))
        {
            await connection.OpenAsync();
            await Execute(connection, "CREATE TABLE schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
            for (var version = 1; version < PostgresSchema.Steps.Count; version++)
            {
                await Execute(connection, PostgresSchema.Steps[version - 1]);
                await Execute(connection, $"INSERT INTO schema_version (version) VALUES ({version})");
            }

            await Execute(connection, SessionTotalsMigrationData.OldRows);
        }

        await using var database = test.Open();
        await database.MigrateAsync();

        await SessionTotalsMigrationData.AssertMigratedAsync(new PostgresUsageLedger(database));
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

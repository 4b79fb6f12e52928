using AgentHost.Storage.Contracts;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite.Tests;

/// <summary>The upgrade to per-project session totals (<see cref="SqliteSessionTotalsSchema"/>) on a database that has totals already.</summary>
public sealed class SqliteSessionTotalsSchemaTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("agenthost-session-totals-").FullName;

    [Fact]
    public async Task ExistingSessionTotals_BelongToTheProjectOfTheirCalls_AndASessionOfTwoProjectsIsSplit()
    {
        var path = Path.Combine(directory, "agenthost.db");
        Assert.Equal(SqliteSessionTotalsSchema.Migration, SqliteSchema.Steps[^1]);
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            SqliteDatabase.Execute(connection, "CREATE TABLE schema_version (version INTEGER NOT NULL)");
            for (var version = 1; version < SqliteSchema.Steps.Count; version++)
            {
                SqliteDatabase.Execute(connection, SqliteSchema.Steps[version - 1] + $";\nINSERT INTO schema_version (version) VALUES ({version});");
            }

            SqliteDatabase.Execute(connection, SessionTotalsMigrationData.OldRows);
        }

        using var database = new SqliteDatabase(path);

        await SessionTotalsMigrationData.AssertMigratedAsync(new SqliteUsageLedger(database));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}

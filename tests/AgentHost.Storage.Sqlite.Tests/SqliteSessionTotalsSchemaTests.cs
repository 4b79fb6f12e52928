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
        OldSqliteSchema.Create(path, SqliteSessionTotalsSchema.Migration, SessionTotalsMigrationData.OldRows);

        using var database = new SqliteDatabase(path);

        await SessionTotalsMigrationData.AssertMigratedAsync(new SqliteUsageLedger(database));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}

using AgentHost.Storage.Contracts;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite.Tests;

/// <summary>Migration steps that reshape existing data, each run on a database written at the schema just before it.</summary>
public sealed class SqliteSchemaUpgradeTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("agenthost-upgrade-").FullName;

    private string Path => System.IO.Path.Combine(directory, "agenthost.db");

    /// <summary>Per-project session totals (<see cref="SqliteSessionTotalsSchema"/>) on a database that has totals already.</summary>
    [Fact]
    public async Task ExistingSessionTotals_BelongToTheProjectOfTheirCalls_AndASessionOfTwoProjectsIsSplit()
    {
        OldSqliteSchema.Create(Path, SqliteSessionTotalsSchema.Migration, SessionTotalsMigrationData.OldRows);

        using var database = new SqliteDatabase(Path);

        await SessionTotalsMigrationData.AssertMigratedAsync(new SqliteUsageLedger(database));
    }

    /// <summary>The thread attachments index (<see cref="SqliteMessageAttachments"/>) on a database that has messages already.</summary>
    [Fact]
    public async Task MessagesWrittenBeforeTheIndex_AreIndexedByTheMigration()
    {
        OldSqliteSchema.Create(Path, SqliteMessageAttachments.Migration, AttachmentIndexMigrationData.OldRows);

        using var database = new SqliteDatabase(Path);

        await AttachmentIndexMigrationData.AssertMigratedAsync(new SqliteAgentStore(database));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}

using AgentHost.Storage.Contracts;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite.Tests;

/// <summary>The upgrade to the thread attachments index (<see cref="SqliteMessageAttachments"/>) on a database that has messages already.</summary>
public sealed class SqliteMessageAttachmentsSchemaTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("agenthost-attachments-").FullName;

    [Fact]
    public async Task MessagesWrittenBeforeTheIndex_AreIndexedByTheMigration()
    {
        var path = Path.Combine(directory, "agenthost.db");
        OldSqliteSchema.Create(path, SqliteMessageAttachments.Migration, AttachmentIndexMigrationData.OldRows);

        using var database = new SqliteDatabase(path);

        await AttachmentIndexMigrationData.AssertMigratedAsync(new SqliteAgentStore(database));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}

using AgentHost.Storage.Contracts;
using AgentHost.Testing.Requirements;

namespace AgentHost.Storage.Postgres.Tests;

/// <summary>The upgrade to the thread attachments index (<see cref="PostgresMessageAttachments"/>) on a schema that has messages already.</summary>
public sealed class PostgresMessageAttachmentsMigrationTests
{
    [RequiresFact("postgres")]
    public async Task MessagesWrittenBeforeTheIndex_AreIndexedByTheMigration()
    {
        await using var test = await TestDatabase.CreateAsync();
        await OldPostgresSchema.CreateAsync(test, PostgresMessageAttachments.Migration, AttachmentIndexMigrationData.OldRows);

        await using var database = test.Open();
        await database.MigrateAsync();

        await AttachmentIndexMigrationData.AssertMigratedAsync(new PostgresAgentStore(database));
    }
}

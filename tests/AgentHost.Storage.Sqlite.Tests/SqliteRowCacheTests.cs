using AgentHost.Core.Domain;
using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite.Tests;

/// <summary>Assistants read from memory after their first read stay what the table holds, in their own project only.</summary>
public sealed class SqliteRowCacheTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string directory = Directory.CreateTempSubdirectory("agenthost-rows-").FullName;
    private readonly SqliteDatabase database;
    private readonly SqliteAgentStore store;

    public SqliteRowCacheTests()
    {
        database = new SqliteDatabase(Path.Combine(directory, "agenthost.db"));
        store = new SqliteAgentStore(database);
    }

    [Fact]
    public async Task AKeptAssistant_IsUpdatedAndDeleted_WithTheTable_AndHiddenFromOtherProjects()
    {
        var assistant = new Assistant { Id = "asst_kept", CreatedAt = 1, Model = "gpt-4o", Name = "first" };
        using (ProjectScope.Enter("proj_a"))
        {
            await store.CreateAssistantAsync(assistant, None);
            Assert.Equal("first", (await store.GetAssistantAsync(assistant.Id, None))!.Name);
            Assert.True(database.Assistants.TryGet(assistant.Id, out _));

            await store.UpdateAssistantAsync(assistant with { Name = "second" }, None);
            Assert.Equal("second", (await store.GetAssistantAsync(assistant.Id, None))!.Name);
        }

        using (ProjectScope.Enter("proj_b"))
        {
            Assert.Null(await store.GetAssistantAsync(assistant.Id, None));
            Assert.False(await store.DeleteAssistantAsync(assistant.Id, None));
        }

        Assert.Equal("second", (await store.GetAssistantAsync(assistant.Id, None))!.Name);
        using (ProjectScope.Enter("proj_a"))
        {
            Assert.True(await store.DeleteAssistantAsync(assistant.Id, None));
            Assert.Null(await store.GetAssistantAsync(assistant.Id, None));
        }
    }

    [Fact]
    public void ARowReadBeforeAWriteForgotOne_IsNotKept()
    {
        var cache = new SqliteRowCache(capacity: 2);
        var readIn = cache.Generation;
        cache.Forget("asst_other");
        cache.Keep("asst_stale", "default", "{}", readIn);
        Assert.False(cache.TryGet("asst_stale", out _));

        readIn = cache.Generation;
        cache.Keep("asst_1", "default", "{}", readIn);
        cache.Keep("asst_2", "default", "{}", readIn);
        cache.Keep("asst_3", "default", "{}", readIn);
        Assert.True(cache.TryGet("asst_2", out _));
        Assert.False(cache.TryGet("asst_3", out _)); // past capacity
    }

    public void Dispose()
    {
        database.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}

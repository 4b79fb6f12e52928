using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite.Tests;

/// <summary>Queries every run makes use the index meant for them, whatever the thread's length.</summary>
public sealed class SqliteQueryPlanTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("agenthost-plans-").FullName;

    [Fact]
    public void AThreadsActiveRun_IsFoundAmongActiveRunsOnly()
    {
        using var database = new SqliteDatabase(Path.Combine(directory, "agenthost.db"));
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "agenthost.db") }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + SqliteAgentStore.ActiveRunSql;
        command.Parameters.AddWithValue("@thread", "thread_a");
        using var reader = command.ExecuteReader();
        var plan = new List<string>();
        while (reader.Read())
        {
            plan.Add(reader.GetString(3));
        }

        // Through runs_by_thread it would read every run the thread ever had to find none active.
        Assert.Equal(["SEARCH runs USING INDEX runs_active_by_thread (thread_id=?)"], plan);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}

using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite.Tests;

/// <summary>A database file at the schema one step before a migration, with rows written in it: what an upgrade starts from.</summary>
internal static class OldSqliteSchema
{
    /// <summary>Applies the steps of <see cref="SqliteSchema"/> before <paramref name="migration"/> to a new database at <paramref name="path"/>, then runs <paramref name="rows"/>.</summary>
    public static void Create(string path, string migration, string rows)
    {
        var step = SqliteSchema.Steps.ToList().IndexOf(migration);
        Assert.True(step > 0, "The migration is one of the schema's steps.");
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        SqliteDatabase.Execute(connection, "CREATE TABLE schema_version (version INTEGER NOT NULL)");
        for (var version = 1; version <= step; version++)
        {
            SqliteDatabase.Execute(connection, SqliteSchema.Steps[version - 1] + $";\nINSERT INTO schema_version (version) VALUES ({version});");
        }

        SqliteDatabase.Execute(connection, rows);
    }
}

using Npgsql;

namespace AgentHost.Storage.Postgres.Tests;

/// <summary>A schema at the version one step before a migration, with rows written in it: what an upgrade starts from.</summary>
internal static class OldPostgresSchema
{
    /// <summary>Applies the steps of <see cref="PostgresSchema"/> before <paramref name="migration"/> to <paramref name="test"/>'s schema, then runs <paramref name="rows"/>.</summary>
    public static async Task CreateAsync(TestDatabase test, string migration, string rows)
    {
        var step = PostgresSchema.Steps.ToList().IndexOf(migration);
        Assert.True(step > 0, "The migration is one of the schema's steps.");
        await using var connection = new NpgsqlConnection(test.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "CREATE TABLE schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
        for (var version = 1; version <= step; version++)
        {
            await ExecuteAsync(connection, PostgresSchema.Steps[version - 1]);
            await ExecuteAsync(connection, $"INSERT INTO schema_version (version) VALUES ({version})");
        }

        await ExecuteAsync(connection, rows);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

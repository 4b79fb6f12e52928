using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

/// <summary>The few query shapes every table shares: by id, upsert, delete and cursor-paged lists.</summary>
internal static class SqliteCommands
{
    /// <summary>Rows of the current project only (<see cref="ProjectScope"/>; every project when there is none): with <see cref="Project"/>.</summary>
    public const string InProject = "(@project IS NULL OR project = @project)";

    /// <summary>The <c>@project</c> that <see cref="InProject"/> reads.</summary>
    public static (string Name, object? Value) Project => ("@project", ProjectScope.Current);

    /// <summary>The <c>@write_project</c> a new row is written into.</summary>
    public static (string Name, object? Value) WriteProject => ("@write_project", ProjectScope.ForWrite);

    /// <summary>A command for <paramref name="sql"/> with the values bound: on the write connection, the one kept compiled (<see cref="SqliteStatementCache"/>).</summary>
    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        if (SqliteStatementCache.Of(connection)?.Rent(sql, transaction, parameters) is { } kept)
        {
            return kept;
        }

        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static T? ReadOne<T>(this SqliteCommand command, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        using (command)
        {
            return command.ExecuteScalar() is string json ? JsonSerializer.Deserialize(json, typeInfo) : null;
        }
    }

    public static List<T> ReadAll<T>(this SqliteCommand command, JsonTypeInfo<T> typeInfo)
    {
        using (command)
        using (var reader = command.ExecuteReader())
        {
            var items = new List<T>();
            while (reader.Read())
            {
                items.Add(JsonSerializer.Deserialize(reader.GetString(0), typeInfo)!);
            }

            return items;
        }
    }

    /// <summary>The first column of the first row (null when there is none), disposing the command.</summary>
    public static object? Scalar(this SqliteCommand command)
    {
        using (command)
        {
            return command.ExecuteScalar();
        }
    }

    public static int Run(this SqliteCommand command)
    {
        using (command)
        {
            return command.ExecuteNonQuery();
        }
    }

    /// <summary>One page in the asked order; <c>before</c> pages are read backwards from the cursor, then turned round.</summary>
    public static Page<T> ListPage<T>(this SqliteConnection connection, string table, string filter, (string, object?)[] filterParameters, ListQuery query, JsonTypeInfo<T> typeInfo)
    {
        var backwards = query.Before is not null && query.After is null;
        var newestFirst = query.Ascending == backwards;
        var conditions = new List<string> { filter, InProject };
        if (query.After is not null)
        {
            conditions.Add($"seq {(query.Ascending ? ">" : "<")} COALESCE((SELECT seq FROM {table} WHERE id = @after), {(query.Ascending ? "9223372036854775807" : "-1")})");
        }

        if (query.Before is not null)
        {
            conditions.Add($"seq {(query.Ascending ? "<" : ">")} COALESCE((SELECT seq FROM {table} WHERE id = @before), {(query.Ascending ? "-1" : "9223372036854775807")})");
        }

        var limit = Math.Min(query.Limit, int.MaxValue - 1);
        var sql = $"SELECT data FROM {table} WHERE {string.Join(" AND ", conditions)} ORDER BY seq {(newestFirst ? "DESC" : "ASC")} LIMIT @limit";
        var parameters = filterParameters.Append(Project).Append(("@after", query.After)).Append(("@before", query.Before)).Append(("@limit", (object?)(limit + 1L))).ToArray();
        var items = connection.Command(sql, null, parameters).ReadAll(typeInfo);
        var hasMore = items.Count > limit;
        if (hasMore)
        {
            items.RemoveAt(items.Count - 1);
        }

        if (backwards)
        {
            items.Reverse();
        }

        return new Page<T>(items, hasMore);
    }
}

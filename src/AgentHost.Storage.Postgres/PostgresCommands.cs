using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AgentHost.Core.Storage;
using Npgsql;
using NpgsqlTypes;

namespace AgentHost.Storage.Postgres;

/// <summary>The few query shapes every table shares: by id, JSON rows, and cursor-paged lists.</summary>
internal static class PostgresCommands
{
    /// <summary>Rows of the current project only (<see cref="ProjectScope"/>; every project when there is none): with <see cref="Project"/>.</summary>
    public const string InProject = "(@project::text IS NULL OR project = @project::text)";

    /// <summary>The <c>@project</c> that <see cref="InProject"/> reads.</summary>
    public static (string Name, object? Value) Project => ("@project", ProjectScope.Current);

    /// <summary>The <c>@write_project</c> a new row is written into.</summary>
    public static (string Name, object? Value) WriteProject => ("@write_project", ProjectScope.ForWrite);

    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(Parameter(name, value));
        }

        return command;
    }

    /// <summary>Adds a statement to <paramref name="batch"/>, with parameters as <see cref="Command"/> takes them.</summary>
    public static void Add(this NpgsqlBatch batch, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(Parameter(name, value));
        }

        batch.BatchCommands.Add(command);
    }

    private static NpgsqlParameter Parameter(string name, object? value) => value switch
    {
        Jsonb json => new NpgsqlParameter(name, NpgsqlDbType.Jsonb) { Value = json.Text },
        null => new NpgsqlParameter(name, DBNull.Value),
        _ => new NpgsqlParameter(name, value),
    };

    public static Jsonb Json<T>(T value, JsonTypeInfo<T> typeInfo) => new(PostgresText.CleanJson(JsonSerializer.Serialize(value, typeInfo)));

    public static async Task<T?> ReadOneAsync<T>(this NpgsqlCommand command, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        await using (command)
        {
            return await command.ExecuteScalarAsync(cancellationToken) is string json ? JsonSerializer.Deserialize(json, typeInfo) : null;
        }
    }

    public static async Task<List<T>> ReadAllAsync<T>(this NpgsqlCommand command, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        await using (command)
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            var items = new List<T>();
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(JsonSerializer.Deserialize(reader.GetString(0), typeInfo)!);
            }

            return items;
        }
    }

    public static async Task<List<string>> ReadStringsAsync(this NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            var items = new List<string>();
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(reader.GetString(0));
            }

            return items;
        }
    }

    public static async Task<int> RunAsync(this NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>One page in the asked order; <c>before</c> pages are read backwards from the cursor, then turned round.</summary>
    public static async Task<Page<T>> ListPageAsync<T>(this NpgsqlConnection connection, string source, string filter, (string, object?)[] filterParameters,
        ListQuery query, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var backwards = query.Before is not null && query.After is null;
        var newestFirst = query.Ascending == backwards;
        var conditions = new List<string> { filter, InProject };
        if (query.After is not null)
        {
            conditions.Add($"seq {(query.Ascending ? ">" : "<")} COALESCE((SELECT seq FROM {source} AS cursor_row WHERE id = @after), {(query.Ascending ? "9223372036854775807" : "-1")})");
        }

        if (query.Before is not null)
        {
            conditions.Add($"seq {(query.Ascending ? "<" : ">")} COALESCE((SELECT seq FROM {source} AS cursor_row WHERE id = @before), {(query.Ascending ? "-1" : "9223372036854775807")})");
        }

        var limit = Math.Min(query.Limit, int.MaxValue - 1);
        var sql = $"SELECT data FROM {source} AS page_row WHERE {string.Join(" AND ", conditions)} ORDER BY seq {(newestFirst ? "DESC" : "ASC")} LIMIT @limit";
        var parameters = filterParameters.Append(("@limit", (object?)(limit + 1L))).Append(Project).ToList();
        if (query.After is not null)
        {
            parameters.Add(("@after", query.After));
        }

        if (query.Before is not null)
        {
            parameters.Add(("@before", query.Before));
        }

        var items = await connection.Command(sql, null, [.. parameters]).ReadAllAsync(typeInfo, cancellationToken);
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

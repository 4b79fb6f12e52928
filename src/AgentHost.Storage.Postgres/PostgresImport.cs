using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace AgentHost.Storage.Postgres;

/// <summary>
/// Copies every table of another AgentHost store (SQLite, through <see cref="IImportSource"/>) into an empty PostgreSQL
/// schema, in one transaction: all rows or none. Rows keep their <c>seq</c> (so lists keep their order, and rows added
/// later follow them); columns the source lacks take PostgreSQL's default (e.g. <c>project</c>). A source table or a
/// required column PostgreSQL has no place for stops the import, naming it, rather than dropping data.
/// </summary>
public static class PostgresImport
{
    /// <summary>The rows copied per table, in the order they were copied.</summary>
    public static async Task<IReadOnlyList<(string Table, long Rows)>> RunAsync(string connectionString, IImportSource source, CancellationToken cancellationToken)
    {
        await using var dataSource = new NpgsqlDataSourceBuilder(connectionString) { Name = "agenthost-import" }.Build();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await PostgresSchema.MigrateAsync(connection, cancellationToken);

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var tables = await TablesAsync(connection, transaction, cancellationToken);
        var unknown = source.Tables.Where(t => !tables.ContainsKey(t)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"The source has table(s) this AgentHost's PostgreSQL schema has no place for: {string.Join(", ", unknown)}. Use the AgentHost version that wrote the source.");
        }

        foreach (var table in tables.Keys)
        {
            await using var count = connection.Command($"SELECT EXISTS (SELECT 1 FROM {table})", transaction);
            if (await count.ExecuteScalarAsync(cancellationToken) is true)
            {
                throw new InvalidOperationException($"The PostgreSQL schema already holds data (table {table}): import into an empty database or schema.");
            }
        }

        var copied = new List<(string, long)>();
        foreach (var (table, columns) in tables)
        {
            if (!source.Tables.Contains(table))
            {
                copied.Add((table, 0));
                continue;
            }

            var available = source.ColumnsOf(table);
            var missing = columns.Where(c => !c.Optional && !available.Contains(c.Name)).Select(c => c.Name).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException($"The source's table {table} lacks column(s) {string.Join(", ", missing)} that PostgreSQL requires.");
            }

            var taken = columns.Where(c => available.Contains(c.Name)).ToList();
            copied.Add((table, await CopyAsync(connection, table, taken, source, cancellationToken)));
            if (taken.Any(c => c.Name == "seq"))
            {
                // Rows added from now on follow the copied ones.
                await connection.Command(
                    $"SELECT setval(pg_get_serial_sequence('{table}', 'seq'), COALESCE((SELECT MAX(seq) FROM {table}), 0) + 1, false)", transaction)
                    .RunAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return copied;
    }

    private static async Task<long> CopyAsync(NpgsqlConnection connection, string table, List<Column> columns, IImportSource source, CancellationToken cancellationToken)
    {
        long rows = 0;
        await using var reader = source.Read(table, [.. columns.Select(c => c.Name)]);
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY {table} ({string.Join(", ", columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            await copy.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                if (await reader.IsDBNullAsync(i, cancellationToken))
                {
                    await copy.WriteNullAsync(cancellationToken);
                    continue;
                }

                var value = reader.GetValue(i);
                var column = columns[i];
                switch (column.Type)
                {
                    case NpgsqlDbType.Jsonb:
                        await copy.WriteAsync(PostgresText.CleanJson(Convert.ToString(value, CultureInfo.InvariantCulture)!), NpgsqlDbType.Jsonb, cancellationToken);
                        break;
                    case NpgsqlDbType.Text:
                        await copy.WriteAsync(PostgresText.Clean(Convert.ToString(value, CultureInfo.InvariantCulture)!), NpgsqlDbType.Text, cancellationToken);
                        break;
                    case NpgsqlDbType.Bigint:
                        await copy.WriteAsync(Convert.ToInt64(value, CultureInfo.InvariantCulture), NpgsqlDbType.Bigint, cancellationToken);
                        break;
                    case NpgsqlDbType.Integer:
                        await copy.WriteAsync(Convert.ToInt32(value, CultureInfo.InvariantCulture), NpgsqlDbType.Integer, cancellationToken);
                        break;
                    case NpgsqlDbType.Boolean:
                        await copy.WriteAsync(Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0, NpgsqlDbType.Boolean, cancellationToken);
                        break;
                    case NpgsqlDbType.Real:
                        await copy.WriteAsync(Convert.ToSingle(value, CultureInfo.InvariantCulture), NpgsqlDbType.Real, cancellationToken);
                        break;
                    case NpgsqlDbType.Double:
                        await copy.WriteAsync(Convert.ToDouble(value, CultureInfo.InvariantCulture), NpgsqlDbType.Double, cancellationToken);
                        break;
                    case NpgsqlDbType.Bytea:
                        await copy.WriteAsync((byte[])value, NpgsqlDbType.Bytea, cancellationToken);
                        break;
                    default:
                        throw new InvalidOperationException($"Column {table}.{column.Name} has a type the import does not copy.");
                }
            }

            rows++;
        }

        await copy.CompleteAsync(cancellationToken);
        return rows;
    }

    /// <summary>The schema's tables (but <c>schema_version</c>) and their columns, in creation order.</summary>
    private static async Task<Dictionary<string, List<Column>>> TablesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var tables = new Dictionary<string, List<Column>>(StringComparer.Ordinal);
        await using var command = connection.Command(
            """
            SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'YES' OR c.column_default IS NOT NULL
            FROM information_schema.columns c JOIN pg_class k ON k.relname = c.table_name
                JOIN pg_namespace n ON n.oid = k.relnamespace AND n.nspname = c.table_schema
            WHERE c.table_schema = current_schema() AND c.table_name <> 'schema_version'
            ORDER BY k.oid, c.ordinal_position
            """, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var table = reader.GetString(0);
            var name = reader.GetString(1);
            var type = reader.GetString(2) switch
            {
                "jsonb" => NpgsqlDbType.Jsonb,
                "text" => NpgsqlDbType.Text,
                "bigint" => NpgsqlDbType.Bigint,
                "integer" => NpgsqlDbType.Integer,
                "boolean" => NpgsqlDbType.Boolean,
                "real" => NpgsqlDbType.Real,
                "double precision" => NpgsqlDbType.Double,
                "bytea" => NpgsqlDbType.Bytea,
                var other => throw new InvalidOperationException($"Column {table}.{name} is of type {other}, which the import does not copy."),
            };
            if (!tables.TryGetValue(table, out var columns))
            {
                tables[table] = columns = [];
            }

            // An identity column counts as having a default: rows the source has no seq for get one.
            columns.Add(new Column(name, type, reader.GetBoolean(3) || name == "seq"));
        }

        return tables;
    }

    private sealed record Column(string Name, NpgsqlDbType Type, bool Optional);
}

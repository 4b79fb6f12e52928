using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// The write connection's commands, kept compiled by their SQL text: a write binds new values to the statement and
/// parameters the same SQL used last time instead of compiling it again. Only the writer (one thread at a time, under
/// <see cref="SqliteDatabase"/>'s write lock) has a cache. A command still in use when its SQL is asked for again, or
/// SQL beyond <see cref="MaxCommands"/> distinct texts, gets a fresh command as before.
/// </summary>
internal sealed class SqliteStatementCache
{
    /// <summary>Distinct SQL texts kept; the writer's statements number a few dozen, so this only bounds odd dynamic SQL.</summary>
    private const int MaxCommands = 512;

    private static readonly ConditionalWeakTable<SqliteConnection, SqliteStatementCache> Caches = new();
    private readonly Dictionary<string, KeptCommand> commands = new(StringComparer.Ordinal);
    private readonly SqliteConnection connection;

    private SqliteStatementCache(SqliteConnection connection) => this.connection = connection;

    /// <summary>Keeps the compiled commands of <paramref name="connection"/> until <see cref="Close"/>.</summary>
    public static void Attach(SqliteConnection connection) => Caches.Add(connection, new SqliteStatementCache(connection));

    /// <summary>The cache of <paramref name="connection"/>, if it has one.</summary>
    public static SqliteStatementCache? Of(SqliteConnection connection) => Caches.TryGetValue(connection, out var cache) ? cache : null;

    /// <summary>The kept command for <paramref name="sql"/> with these values bound, or null when a fresh command must serve.</summary>
    public SqliteCommand? Rent(string sql, SqliteTransaction? transaction, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!commands.TryGetValue(sql, out var command))
        {
            if (commands.Count >= MaxCommands)
            {
                return null;
            }

            command = new KeptCommand(SqliteRawStatement.TryCompile(connection, sql)) { Connection = connection, CommandText = sql };
            commands.Add(sql, command);
        }
        else if (command.Rented)
        {
            return null;
        }

        command.Transaction = transaction;
        Bind(command.Parameters, parameters);
        command.Rented = true;
        return command;
    }

    /// <summary>Finalizes every kept statement; the connection closes after this.</summary>
    public static void Close(SqliteConnection connection)
    {
        if (Caches.TryGetValue(connection, out var cache))
        {
            foreach (var command in cache.commands.Values)
            {
                command.Release();
            }

            cache.commands.Clear();
            Caches.Remove(connection);
        }
    }

    private static void Bind(SqliteParameterCollection bound, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var same = bound.Count == parameters.Length;
        for (var i = 0; same && i < parameters.Length; i++)
        {
            same = string.Equals(bound[i].ParameterName, parameters[i].Name, StringComparison.Ordinal);
        }

        if (same)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                bound[i].Value = parameters[i].Value ?? DBNull.Value;
            }

            return;
        }

        bound.Clear();
        foreach (var (name, value) in parameters)
        {
            bound.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    /// <summary>
    /// A command whose disposal by its user only returns it to the cache; <see cref="Release"/> disposes it. Executed
    /// without a reader, it runs through its <see cref="SqliteRawStatement"/> when it has one.
    /// </summary>
    private sealed class KeptCommand(SqliteRawStatement? statement) : SqliteCommand
    {
        private bool released;

        public bool Rented { get; set; }

        public override int ExecuteNonQuery() =>
            statement is not null && statement.TryExecuteNonQuery(Parameters, out var changes) ? changes : base.ExecuteNonQuery();

        public override object? ExecuteScalar() =>
            statement is not null && statement.TryExecuteScalar(Parameters, out var value) ? value : base.ExecuteScalar();

        public void Release()
        {
            released = true;
            statement?.Dispose();
            Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !released)
            {
                Rented = false;
                return;
            }

            base.Dispose(disposing);
        }
    }
}

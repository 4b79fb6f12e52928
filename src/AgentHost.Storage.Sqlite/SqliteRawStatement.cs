using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AgentHost.Storage.Sqlite;

/// <summary>
/// One kept command's SQL compiled once on the write connection and run straight through SQLite's C API: its values
/// bound by position, stepped and reset, without the per-execution reader, binders and UTF-8 copies of
/// <see cref="SqliteCommand"/>. Serves only what it can run exactly as <see cref="SqliteCommand"/> would (one statement,
/// every parameter given, values of the plain types); for anything else, and for a busy database, the caller falls back
/// to the command itself.
/// </summary>
internal sealed class SqliteRawStatement : IDisposable
{
    /// <summary>Largest UTF-8 buffer a statement keeps for its text values; longer text is encoded into a rented one.</summary>
    private const int MaxKeptBuffer = 64 * 1024;

    private readonly sqlite3 db;
    private readonly sqlite3_stmt statement;
    private readonly bool readOnly;
    private int[] indexes = [];
    private string[] names = [];
    private byte[] utf8 = [];

    private SqliteRawStatement(sqlite3 db, sqlite3_stmt statement)
    {
        this.db = db;
        this.statement = statement;
        readOnly = raw.sqlite3_stmt_readonly(statement) != 0;
    }

    /// <summary>The compiled <paramref name="sql"/>, or null when it is not a single statement this path can run.</summary>
    public static SqliteRawStatement? TryCompile(SqliteConnection connection, string sql)
    {
        var db = connection.Handle!;
        if (raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out var statement, out var tail) != raw.SQLITE_OK || statement.IsInvalid)
        {
            statement?.Dispose();
            return null;
        }

        if (!string.IsNullOrWhiteSpace(tail))
        {
            statement.Dispose();
            return null;
        }

        return new SqliteRawStatement(db, statement);
    }

    /// <summary>
    /// Runs the statement with <paramref name="parameters"/>' values as <see cref="SqliteCommand.ExecuteNonQuery()"/> would;
    /// false (nothing run) when the command must run it instead.
    /// </summary>
    public bool TryExecuteNonQuery(SqliteParameterCollection parameters, out int changes)
    {
        changes = 0;
        if (!TryBind(parameters))
        {
            return false;
        }

        int rc;
        while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
        {
        }

        if (!Finish(rc))
        {
            return false;
        }

        changes = readOnly ? -1 : raw.sqlite3_changes(db);
        return true;
    }

    /// <summary>The first column of the first row, as <see cref="SqliteCommand.ExecuteScalar()"/> gives it; false when the command must run it instead.</summary>
    public bool TryExecuteScalar(SqliteParameterCollection parameters, out object? value)
    {
        value = null;
        if (!TryBind(parameters))
        {
            return false;
        }

        var rc = raw.sqlite3_step(statement);
        if (rc == raw.SQLITE_ROW)
        {
            value = ColumnValue();
            rc = raw.SQLITE_DONE;
        }

        return Finish(rc);
    }

    public void Dispose() => statement.Dispose();

    private object ColumnValue() => raw.sqlite3_column_type(statement, 0) switch
    {
        raw.SQLITE_INTEGER => raw.sqlite3_column_int64(statement, 0),
        raw.SQLITE_FLOAT => raw.sqlite3_column_double(statement, 0),
        raw.SQLITE_TEXT => Encoding.UTF8.GetString(raw.sqlite3_column_blob(statement, 0)),
        raw.SQLITE_BLOB => raw.sqlite3_column_blob(statement, 0).ToArray(),
        _ => DBNull.Value,
    };

    /// <summary>Resets the statement; true when it ran to the end, false when the database was busy (the command retries it); throws SQLite's error otherwise.</summary>
    private bool Finish(int rc)
    {
        if (rc == raw.SQLITE_DONE)
        {
            raw.sqlite3_reset(statement);
            return true;
        }

        var primary = rc & 0xFF;
        if (primary is raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
        {
            raw.sqlite3_reset(statement);
            return false;
        }

        try
        {
            SqliteException.ThrowExceptionForRC(rc, db);
            return true;
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    private bool TryBind(SqliteParameterCollection parameters)
    {
        if (!MapNames(parameters))
        {
            return false;
        }

        for (var i = 0; i < indexes.Length; i++)
        {
            if (!TryBind(indexes[i], parameters[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Each parameter's position, found once per set of names; false unless they name every parameter of the statement.</summary>
    private bool MapNames(SqliteParameterCollection parameters)
    {
        var same = names.Length == parameters.Count;
        for (var i = 0; same && i < names.Length; i++)
        {
            same = ReferenceEquals(names[i], parameters[i].ParameterName) || names[i] == parameters[i].ParameterName;
        }

        if (same)
        {
            return indexes.Length > 0 || raw.sqlite3_bind_parameter_count(statement) == 0;
        }

        var found = new int[parameters.Count];
        var seen = new HashSet<int>();
        for (var i = 0; i < found.Length; i++)
        {
            found[i] = raw.sqlite3_bind_parameter_index(statement, parameters[i].ParameterName);
            if (found[i] == 0 || !seen.Add(found[i]))
            {
                names = [];
                indexes = [];
                return false;
            }
        }

        if (seen.Count != raw.sqlite3_bind_parameter_count(statement))
        {
            names = [];
            indexes = [];
            return false;
        }

        names = [.. Enumerable.Range(0, found.Length).Select(i => parameters[i].ParameterName)];
        indexes = found;
        return true;
    }

    private bool TryBind(int index, object? value)
    {
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(statement, index),
            string text => BindText(index, text),
            long number => raw.sqlite3_bind_int64(statement, index, number),
            int number => raw.sqlite3_bind_int64(statement, index, number),
            bool flag => raw.sqlite3_bind_int64(statement, index, flag ? 1 : 0),
            double number => raw.sqlite3_bind_double(statement, index, number),
            byte[] bytes => raw.sqlite3_bind_blob(statement, index, bytes),
            _ => -1,
        };
        if (rc == raw.SQLITE_OK)
        {
            return true;
        }

        if (rc != -1)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        return false;
    }

    /// <summary>Binds <paramref name="text"/> as UTF-8 (lone surrogates become U+FFFD, as the command's binding does); SQLite copies it.</summary>
    private int BindText(int index, string text)
    {
        if (text.Length == 0)
        {
            // An empty span would bind NULL: the string form binds empty text.
            return raw.sqlite3_bind_text(statement, index, text);
        }

        var most = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (most > MaxKeptBuffer)
        {
            var rented = ArrayPool<byte>.Shared.Rent(most);
            try
            {
                return raw.sqlite3_bind_text(statement, index, rented.AsSpan(0, Encoding.UTF8.GetBytes(text, rented)));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        if (utf8.Length < most)
        {
            utf8 = new byte[Math.Min(Math.Max(most, utf8.Length * 2), MaxKeptBuffer)];
        }

        return raw.sqlite3_bind_text(statement, index, utf8.AsSpan(0, Encoding.UTF8.GetBytes(text, utf8)));
    }
}

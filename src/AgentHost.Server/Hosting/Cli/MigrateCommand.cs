using System.Globalization;
using AgentHost.Core.Files;
using AgentHost.Storage.Postgres;
using AgentHost.Storage.Sqlite;

namespace AgentHost.Server.Hosting.Cli;

/// <summary>
/// <c>agenthost migrate --from sqlite:./data --to postgres:"Host=…"</c>: moves an installation from SQLite to an empty
/// PostgreSQL database — every table in one transaction, and the file, upload and container bytes into the shared
/// directory the nodes will use. The source is left as it was; stop AgentHost before migrating.
/// </summary>
public static class MigrateCommand
{
    private const string Usage = """
        Usage:
          agenthost migrate --from sqlite:<data directory or agenthost.db> --to postgres:<connection string>
                            [--shared-directory <folder>]
        Copies every object into an empty PostgreSQL database or schema (all or nothing). File, upload and container
        bytes are copied to --shared-directory (AgentHost:Postgres:SharedDirectory of the nodes); without it they stay
        in the data directory, which then must be the nodes' shared directory. Stop AgentHost first.
        """;

    /// <summary>The folders of the data directory that hold bytes the database rows point to.</summary>
    private static readonly string[] ByteFolders = ["files", "uploads", "containers"];

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        if (args.Length == 0 || args[0] is "help" or "--help")
        {
            output.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var options = Options(args);
            var target = options.GetValueOrDefault("to") ?? throw new ArgumentException("--to is required.");
            if (!target.StartsWith("postgres:", StringComparison.Ordinal) || target.Length == "postgres:".Length)
            {
                throw new ArgumentException("--to takes postgres:<connection string>, e.g. postgres:\"Host=db;Database=agenthost;Username=agenthost;Password=…\".");
            }

            var (dataDir, databaseFile) = Source(options.GetValueOrDefault("from") ?? throw new ArgumentException("--from is required."));

            var shared = options.TryGetValue("shared-directory", out var folder) ? Path.GetFullPath(folder) : dataDir;
            if (!string.Equals(shared, dataDir, StringComparison.Ordinal))
            {
                foreach (var name in ByteFolders)
                {
                    var copied = CopyFolder(Path.Combine(dataDir, name), Path.Combine(shared, name));
                    output.WriteLine(Inv($"{name,-28} {copied,10:N0} file(s) copied to {Path.Combine(shared, name)}"));
                }
            }

            IReadOnlyList<(string Table, long Rows)> tables;
            using (var database = new SqliteDatabase(databaseFile))
            using (var source = new SqliteImportSource(await database.OpenReaderAsync(cancellationToken)))
            {
                tables = await PostgresImport.RunAsync(target["postgres:".Length..], source, cancellationToken);
            }

            foreach (var (table, rows) in tables.Where(t => t.Rows > 0))
            {
                output.WriteLine(Inv($"{table,-28} {rows,10:N0} row(s)"));
            }

            output.WriteLine(Inv($"Migrated {tables.Sum(t => t.Rows):N0} rows from {databaseFile}."));
            output.WriteLine("Start every node with ConnectionStrings__Postgres set to the target"
                + (shared == dataDir ? $" and AgentHost__Postgres__SharedDirectory={dataDir}." : $" and AgentHost__Postgres__SharedDirectory={shared}."));
            if (File.Exists(Path.Combine(dataDir, "reasoning.key")))
            {
                output.WriteLine($"Reasoning kept by stored responses is sealed with {Path.Combine(dataDir, "reasoning.key")}: copy it into every node's data directory.");
            }

            return 0;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException)
        {
            output.WriteLine($"error: {e.Message}");
            if (e is ArgumentException)
            {
                output.WriteLine(Usage);
            }

            return 2;
        }
    }

    private static (string DataDir, string DatabaseFile) Source(string from)
    {
        if (!from.StartsWith("sqlite:", StringComparison.Ordinal) || from.Length == "sqlite:".Length)
        {
            throw new ArgumentException("--from takes sqlite:<data directory or agenthost.db>, e.g. sqlite:./data.");
        }

        var path = Path.GetFullPath(from["sqlite:".Length..]);
        var file = Directory.Exists(path) ? Path.Combine(path, "agenthost.db") : path;
        return File.Exists(file)
            ? (Path.GetDirectoryName(file)!, file)
            : throw new ArgumentException($"No AgentHost database at {file}: --from names the data directory (AgentHost:DataDir) or its agenthost.db.");
    }

    /// <summary>Copies every file under <paramref name="from"/> (kept modes, none overwritten); the number copied.</summary>
    private static int CopyFolder(string from, string to)
    {
        if (!Directory.Exists(from))
        {
            return 0;
        }

        var copied = 0;
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(to, Path.GetRelativePath(from, file));
            PrivateStorage.Directory(Path.GetDirectoryName(destination)!);
            if (!File.Exists(destination))
            {
                File.Copy(file, destination);
                copied++;
            }
        }

        return copied;
    }

    private static Dictionary<string, string> Options(IEnumerable<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        using var items = args.GetEnumerator();
        while (items.MoveNext())
        {
            var name = items.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !items.MoveNext())
            {
                throw new ArgumentException($"Expected --option value, got '{name}'.");
            }

            options[name[2..]] = items.Current;
        }

        var unknown = options.Keys.Except(["from", "to", "shared-directory"]).FirstOrDefault();
        return unknown is null ? options : throw new ArgumentException($"Unknown option --{unknown}.");
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

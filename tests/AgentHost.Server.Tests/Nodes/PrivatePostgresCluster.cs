using System.Diagnostics;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.Nodes;

/// <summary>
/// A PostgreSQL cluster of the test's own, made with Debian's cluster tools like <c>scripts/postgres-test-cluster.sh</c>
/// (PostgreSQL refuses to run as root), so the test can restart it without touching the shared test cluster.
/// Dropped, data and all, when disposed.
/// </summary>
internal sealed class PrivatePostgresCluster : IAsyncDisposable
{
    private readonly string version;
    private readonly string name;

    private PrivatePostgresCluster(string version, string name, int port)
    {
        this.version = version;
        this.name = name;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    public string ConnectionString { get; }

    public static async Task<PrivatePostgresCluster> StartAsync()
    {
        var version = Directory.GetDirectories("/usr/lib/postgresql").Select(Path.GetFileName).OrderBy(v => int.Parse(v!, System.Globalization.CultureInfo.InvariantCulture)).Last()!;
        var cluster = new PrivatePostgresCluster(version, $"agenthost_restart_{Environment.ProcessId}_{Random.Shared.Next(100_000)}", ServerProcess.FreePort());
        var port = new Npgsql.NpgsqlConnectionStringBuilder(cluster.ConnectionString).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await RunAsync("pg_createcluster", version, cluster.name, "-p", port, "--", "--auth-local=trust", "--auth-host=trust");
        foreach (var (setting, value) in new[] { ("fsync", "off"), ("synchronous_commit", "off"), ("full_page_writes", "off") })
        {
            await RunAsync("pg_conftool", version, cluster.name, "set", setting, value);
        }

        await RunAsync("pg_ctlcluster", version, cluster.name, "start");
        await cluster.WaitReadyAsync();
        return cluster;
    }

    /// <summary>Restarts the server, disconnecting every client at once (fast mode), and waits until it accepts connections again.</summary>
    public async Task RestartAsync()
    {
        await RunAsync("pg_ctlcluster", version, name, "restart", "-m", "fast");
        await WaitReadyAsync();
    }

    public async ValueTask DisposeAsync() => await RunAsync("pg_dropcluster", version, name, "--stop");

    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var connection = new Npgsql.NpgsqlConnection(ConnectionString + ";Pooling=false");
                await connection.OpenAsync();
                return;
            }
            catch (Npgsql.NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Runs a cluster tool (through sudo unless root), failing with its output if it fails.</summary>
    private static async Task RunAsync(string tool, params string[] arguments)
    {
        var root = Environment.UserName == "root";
        var info = new ProcessStartInfo(root ? tool : "sudo") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (!root)
        {
            info.ArgumentList.Add(tool);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
    }
}

using System.Net;
using System.Net.Sockets;
using AgentHost.Core.Sandbox;

namespace AgentHost.Sandbox.Tests;

/// <summary>What sandboxed code must not reach: the network, the host's files, other sessions, privileges.</summary>
public sealed class ContainmentTests : IAsyncLifetime
{
    private readonly string hostDir = Directory.CreateTempSubdirectory("agenthost-sandbox-test-").FullName;
    private BubblewrapSandbox sandbox = null!;
    private ISandboxSession session = null!;

    public async Task InitializeAsync()
    {
        // Traversable by anyone, like most host directories; the file inside is root's alone.
        File.SetUnixFileMode(hostDir, (UnixFileMode)0b111_101_101);
        sandbox = TestSandbox.Create(o => o.ReadOnlyBinds = [hostDir]);
        session = await sandbox.StartSessionAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await session.DisposeAsync();
        await sandbox.DisposeAsync();
        Directory.Delete(hostDir, recursive: true);
    }

    [Fact]
    public async Task Connect_ToAListenerOnTheHost_IsRefused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var result = await session.RunAsync($$"""
            import socket
            for address in [("127.0.0.1", {{port}}), ("1.1.1.1", 80)]:
                try:
                    socket.create_connection(address, timeout=2)
                    print("connected", address)
                except OSError as e:
                    print("refused", address, type(e).__name__)
            """);

        Assert.DoesNotContain("connected", result.Logs);
        Assert.Contains($"refused ('127.0.0.1', {port}) ConnectionRefusedError", result.Logs);
        Assert.Contains("refused ('1.1.1.1', 80)", result.Logs);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task HostPaths_AgentHostDataRootAndHome_AreNotVisible()
    {
        var dataDir = Directory.CreateTempSubdirectory("agenthost-data-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dataDir, "agenthost.db"), "secret");
        try
        {
            var result = await session.RunAsync($$"""
                import os
                for path in ["{{dataDir}}/agenthost.db", "/root/.bashrc", "/etc/shadow", "/etc/passwd", "/home", "/var/lib"]:
                    try:
                        open(path).read() if os.path.isfile(path) or not os.path.exists(path) else os.listdir(path)
                        print("READ", path)
                    except OSError as e:
                        print("denied", path, type(e).__name__)
                print(sorted(os.listdir("/")))
                """);

            Assert.DoesNotContain("READ", result.Logs);
            Assert.Contains($"denied {dataDir}/agenthost.db FileNotFoundError", result.Logs);
            Assert.Contains("denied /root/.bashrc FileNotFoundError", result.Logs);
            Assert.Contains("['bin', 'dev', 'etc', 'lib', 'lib64', 'mnt', 'proc', 'sbin', 'tmp', 'usr']", result.Logs);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Code_RunsWithoutCapabilitiesAndCannotReadRootOnlyFiles()
    {
        var secret = Path.Combine(hostDir, "root-only.txt");
        await File.WriteAllTextAsync(secret, "secret");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var result = await session.RunAsync($$"""
            import os
            status = dict(line.split(":\t", 1) for line in open("/proc/self/status").read().splitlines() if ":\t" in line)
            print("uid", os.getuid(), "caps", status["CapEff"].strip(), status["CapPrm"].strip(), status["CapBnd"].strip())
            try:
                print("READ", open("{{secret}}").read())
            except PermissionError:
                print("denied")
            import subprocess
            print("nested userns", subprocess.run(["unshare", "--user", "true"], capture_output=True).returncode)
            kinds = set()
            for fd in os.listdir("/proc/self/fd"):
                try:
                    kinds.add(os.readlink(f"/proc/self/fd/{fd}").split(":")[0])
                except OSError:
                    pass  # the directory listing's own descriptor, already closed
            print("fds", sorted(kinds))
            print("local", os.listdir("/usr/local"))
            """);

        Assert.True(result.Logs.Contains("caps 0000000000000000 0000000000000000"), result.Logs);
        Assert.DoesNotContain("uid 0 ", result.Logs);
        Assert.True(result.Logs.Contains("denied\n") && !result.Logs.Contains("READ"), result.Logs);
        Assert.Contains("nested userns 1", result.Logs);
        Assert.Contains("fds ['/dev/null', 'pipe']", result.Logs); // nothing but our pipes: no inherited socket or host file
        Assert.DoesNotContain("socket", result.Logs);
        Assert.Contains("local []", result.Logs);
    }

    [Fact]
    public async Task Writes_OutsideDataAndTmp_Fail()
    {
        var result = await session.RunAsync("""
            for path in ["/x", "/usr/x", "/etc/x", "/bin/x", "/proc/x", "/mnt/x", "/mnt/data/ok", "/tmp/ok"]:
                try:
                    open(path, "w").write("x")
                    print("wrote", path)
                except OSError as e:
                    print("denied", path)
            """);

        Assert.Equal(
            ["denied /x", "denied /usr/x", "denied /etc/x", "denied /bin/x", "denied /proc/x", "denied /mnt/x", "wrote /mnt/data/ok", "wrote /tmp/ok"],
            result.Logs.Trim().Split('\n'));
    }

    [Fact]
    public async Task AnotherSession_FilesAndProcesses_AreNotVisible()
    {
        await session.RunAsync("open('/mnt/data/mine.txt', 'w').write('secret'); open('/tmp/mine.txt', 'w').write('secret')");
        await using var other = await sandbox.StartSessionAsync(CancellationToken.None);

        var result = await other.RunAsync("""
            import os
            print(os.listdir("/mnt/data"), [f for f in os.listdir("/tmp") if f == "mine.txt"])
            print(sorted(int(p) for p in os.listdir("/proc") if p.isdigit()) == sorted([1, os.getppid(), os.getpid()]))
            """);

        Assert.Equal("[] []\nTrue\n", result.Logs);
    }
}

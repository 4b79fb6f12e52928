using System.Runtime.Versioning;
using System.Text.Json;
using AgentHost.Core.Containers;
using AgentHost.Core.Domain;
using AgentHost.Core.Files;
using AgentHost.Core.Sandbox;
using AgentHost.Core.Tools;
using AgentHost.Core.Tools.AgentToolset;
using AgentHost.Sandbox;
using AgentHost.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Core.Tests.Tools.AgentToolset;

/// <summary>
/// The agent toolset over real containers: a SQLite store in a temporary folder, the real bubblewrap sandbox with short
/// limits, and <see cref="AgentToolsetSource"/> wired as the server wires it. <see cref="RestartAsync"/> drops every
/// live session as an AgentHost restart does, keeping the stored containers and files.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class WorkspaceHarness : IAsyncDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("agenthost-toolset-").FullName;
    private readonly SqliteDatabase database;
    private readonly SqliteContainerStore store;
    private readonly SqliteFileStore files;
    private readonly FileLimits fileLimits = new();
    private readonly ContainerOptions containerOptions = new() { SessionIdleTimeout = TimeSpan.FromMinutes(10) };
    private int calls;

    public WorkspaceHarness(Action<SandboxOptions>? configure = null, AgentToolsetOptions? options = null)
    {
        SandboxOptions = new SandboxOptions
        {
            Preload = "",
            PrewarmSession = false,
            // Generous: on a loaded CI machine a limit test must hit its own limit, not the wall clock.
            CallTimeout = TimeSpan.FromSeconds(60),
            InterruptGrace = TimeSpan.FromSeconds(2),
            CpuSecondsPerCall = 20,
            MemoryLimitMB = 512,
            MaxProcesses = 32,
            MaxFileSizeMB = 8,
            DataSizeMB = 16,
        };
        configure?.Invoke(SandboxOptions);
        Options = options ?? new AgentToolsetOptions();
        database = new SqliteDatabase(Path.Combine(folder, "agenthost.db"));
        store = new SqliteContainerStore(database, Path.Combine(folder, "containers"));
        files = new SqliteFileStore(database, Path.Combine(folder, "files"), fileLimits, Time);
        Start();
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public SandboxOptions SandboxOptions { get; }

    public AgentToolsetOptions Options { get; }

    public BubblewrapSandbox Sandbox { get; private set; } = null!;

    public ContainerSessions Sessions { get; private set; } = null!;

    public ContainerService Containers { get; private set; } = null!;

    public AgentToolsetSource Source { get; private set; } = null!;

    public static readonly ThreadRun Run = new() { Id = "run_toolset", CreatedAt = 0, AssistantId = "asst_toolset", ThreadId = "run_toolset", Model = "scripted" };

    /// <summary>A new container, the workspace of one session.</summary>
    public async Task<string> NewWorkspaceAsync() => (await Containers.CreateAsync(new NewContainer { Name = "session" }, CancellationToken.None)).Id;

    /// <summary>The toolset's definition for <paramref name="containerId"/>, as the front door completes it.</summary>
    public static ToolDefinition Definition(string? containerId, string settings = "{}")
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(settings)!;
        if (containerId is not null)
        {
            values[AgentToolsetConfig.ContainerIdSetting] = JsonSerializer.SerializeToElement(containerId);
        }

        return new ToolDefinition { Type = AgentToolsetConfig.Type, Settings = values };
    }

    /// <summary>Calls <paramref name="tool"/> as the model would, and returns what the model reads back.</summary>
    public async Task<ToolCallView> CallAsync(string containerId, string tool, object arguments, CancellationToken cancellationToken = default)
    {
        var json = arguments as string ?? JsonSerializer.Serialize(arguments);
        var callId = $"call_{Interlocked.Increment(ref calls)}";
        var outcome = await Source.InvokeAsync(new ToolInvocation(Run, Definition(containerId), tool, callId, json), cancellationToken);
        Assert.Equal(callId, outcome.Record.Id);
        Assert.Equal(AgentToolsetConfig.Type, outcome.Record.Type);
        return Source.Describe(outcome.Record);
    }

    /// <summary>Runs a bash command that must succeed; returns its output.</summary>
    public async Task<string> BashAsync(string containerId, string command)
    {
        var view = await CallAsync(containerId, AgentToolNames.Bash, new { command });
        Assert.False(view.IsError, view.Output);
        return view.Output;
    }

    /// <summary>Stops every live session and starts over on the same store, as AgentHost does when it restarts.</summary>
    public async Task RestartAsync()
    {
        await Sessions.DisposeAsync();
        await Sandbox.DisposeAsync();
        Start();
    }

    private void Start()
    {
        Sandbox = new BubblewrapSandbox(SandboxOptions, TimeProvider.System, NullLogger<BubblewrapSandbox>.Instance);
        Sessions = new ContainerSessions(Sandbox, store, containerOptions, Time, NullLogger<ContainerSessions>.Instance);
        Containers = new ContainerService(store, Sessions, files, fileLimits, SandboxOptions, containerOptions, Time, NullLogger<ContainerService>.Instance);
        Source = new AgentToolsetSource(Containers, Sandbox, SandboxOptions, Options, NullLogger<AgentToolsetSource>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await Sessions.DisposeAsync();
        await Sandbox.DisposeAsync();
        database.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temporary folder is left behind.
        }
    }
}

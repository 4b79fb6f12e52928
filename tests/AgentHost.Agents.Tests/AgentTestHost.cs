using AgentHost.Core.Events;
using AgentHost.Core.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Agents.Tests;

/// <summary>The library as an application wires it: engine, SQLite store in a temporary folder, a scripted model.</summary>
public sealed class AgentTestHost : IDisposable
{
    private readonly bool ownsFolder;
    private readonly ServiceProvider services;

    public AgentTestHost(string? folder = null, ScriptedChatClient? model = null, FakeTimeProvider? time = null, bool inMemory = false, Action<IServiceCollection>? configure = null)
    {
        ownsFolder = folder is null;
        Folder = folder ?? Directory.CreateTempSubdirectory("agenthost-agents-").FullName;
        Model = model ?? new ScriptedChatClient();
        Time = time ?? new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var collection = new ServiceCollection().AddSingleton<TimeProvider>(Time);
        configure?.Invoke(collection);
        collection.AddAgentHostEngine().AddAgentHostChatClient(Model);
        services = (inMemory ? collection.AddAgentHostInMemoryStore() : collection.AddAgentHostSqliteStore(Path.Combine(Folder, "agents.db"))).BuildServiceProvider();
        Runtime = services.GetRequiredService<AgentRuntime>();
    }

    public string Folder { get; }

    public ScriptedChatClient Model { get; }

    public FakeTimeProvider Time { get; }

    public AgentRuntime Runtime { get; }

    public IAgentStore Store => services.GetRequiredService<IAgentStore>();

    public static Agent Agent(params AIFunction[] functions) => new() { Name = "helper", Model = "gpt-4o", Instructions = "Be brief.", Functions = functions };

    public static async Task<List<AgentEvent>> CollectAsync(IAsyncEnumerable<AgentEvent> events, CancellationToken cancellationToken = default)
    {
        var all = new List<AgentEvent>();
        await foreach (var agentEvent in events.WithCancellation(cancellationToken))
        {
            all.Add(agentEvent);
        }

        return all;
    }

    /// <summary>The results the model was sent back in its last call, by call id.</summary>
    public Dictionary<string, string?> LastResults() =>
        Model.Calls.Last().Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToDictionary(r => r.CallId, r => r.Result?.ToString());

    public void Dispose()
    {
        services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (ownsFolder)
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}

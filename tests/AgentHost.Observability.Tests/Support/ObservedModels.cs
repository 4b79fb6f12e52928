using AgentHost.Core.Models;
using AgentHost.Core.Observability;
using AgentHost.Core.Storage;
using AgentHost.Core.Tokens;
using AgentHost.Storage.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentHost.Observability.Tests.Support;

/// <summary>The observability layer as the server wires it, on a real SQLite file that outlives one instance (a restart).</summary>
internal sealed class ObservedModels : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private readonly SqliteDatabase database;

    private ObservedModels(ServiceProvider services, SqliteDatabase database)
    {
        this.services = services;
        this.database = database;
    }

    public IUsageLedger Ledger => services.GetRequiredService<IUsageLedger>();

    public ITraceStore Traces => services.GetRequiredService<ITraceStore>();

    public static ObservedModels Start(string databasePath, Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        var database = new SqliteDatabase(databasePath);
        var services = new ServiceCollection()
            .AddLogging(l => l.ClearProviders())
            .AddSingleton(database)
            .AddSingleton<IAgentStore, SqliteAgentStore>()
            .AddSingleton<IUsageLedger>(sp => new SqliteUsageLedger(sp.GetRequiredService<SqliteDatabase>()))
            .AddSingleton<ITraceStore>(sp => new SqliteTraceStore(sp.GetRequiredService<SqliteDatabase>()))
            .AddSingleton<ITokenCounter, TiktokenCounter>()
            .AddAgentHostObservability(configuration)
            .BuildServiceProvider();
        return new ObservedModels(services, database);
    }

    /// <summary><paramref name="provider"/> behind the observability layer, as the router serves <paramref name="model"/>.</summary>
    public IChatClient Wrap(IChatClient provider, string model) => services.GetRequiredService<IModelCallLayer>().Wrap(provider, model);

    public Task FlushTracesAsync() => services.GetRequiredService<Tracing.TraceWriter>().FlushAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        database.Dispose();
    }
}

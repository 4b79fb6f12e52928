using System.ClientModel;
using AgentHost.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Assistants;
using OpenAI.Responses;

namespace AgentHost.Server.Tests.Support;

/// <summary>
/// The real AgentHost pipeline on Kestrel, on a free loopback port, with its own data directory and a
/// scripted model behind the real OpenAI provider. Clients are the official OpenAI SDK's.
/// </summary>
public sealed class AgentHostServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private Func<Task>? dropStore;

    private AgentHostServer(WebApplication app, ScriptedUpstream upstream, string dataDir)
    {
        this.app = app;
        Upstream = upstream;
        DataDir = dataDir;
    }

    /// <summary>Stands in a setting's value for the scripted upstream's base URL (with <c>/v1</c>), e.g. for a compatible server.</summary>
    public const string UpstreamBaseUrl = "{upstream}";

    public ScriptedUpstream Upstream { get; }

    public string DataDir { get; }

    public Uri BaseUri { get; private set; } = null!;

    public IServiceProvider Services => app.Services;

    public static async Task<AgentHostServer> StartAsync(Action<WebApplicationBuilder>? configure = null, Dictionary<string, string?>? settings = null)
    {
        var upstream = await ScriptedUpstream.StartAsync();
        var dataDir = Directory.CreateTempSubdirectory("agenthost-test-").FullName;
        var args = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["AgentHost:DataDir"] = dataDir,
            ["AgentHost:Providers:OpenAI:ApiKey"] = "sk-scripted",
            ["AgentHost:Providers:OpenAI:BaseUrl"] = upstream.BaseUrl,
            ["AgentHost:Providers:Anthropic:ApiKey"] = "sk-ant-scripted",
            ["AgentHost:Providers:Anthropic:BaseUrl"] = upstream.RootUrl,
            ["AgentHost:Providers:Retry:MaxAttempts"] = "2",
            ["AgentHost:Providers:Retry:BaseDelay"] = "00:00:00.010",
            ["AgentHost:Runs:SweepInterval"] = "00:00:00.200",
        };
        Func<Task>? dropStore = null;
        if (TestStore.IsPostgres && settings?.GetValueOrDefault("AgentHost:DataDir") is { } reused)
        {
            args["ConnectionStrings:Postgres"] = await TestStore.SchemaOfDataDirAsync(reused);
        }
        else if (TestStore.IsPostgres)
        {
            (args["ConnectionStrings:Postgres"], dropStore) = await TestStore.CreatePostgresSchemaAsync();
        }

        foreach (var (key, value) in settings ?? [])
        {
            args[key] = value?.Replace(UpstreamBaseUrl, upstream.BaseUrl, StringComparison.Ordinal);
        }

        var app = AgentHostApp.Build(args.Select(p => $"--{p.Key}={p.Value}").ToArray(), builder =>
        {
            builder.Logging.ClearProviders();
            configure?.Invoke(builder);
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            await upstream.DisposeAsync();
            throw;
        }

        var server = new AgentHostServer(app, upstream, dataDir)
        {
            dropStore = dropStore,
            BaseUri = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1"),
        };
        return server;
    }

    public AssistantClient Assistants(string apiKey = "any") =>
        new(new ApiKeyCredential(apiKey), new AssistantClientOptions { Endpoint = BaseUri, NetworkTimeout = TimeSpan.FromSeconds(30) });

    public ResponsesClient Responses(string apiKey = "any") =>
        new(new ApiKeyCredential(apiKey), new ResponsesClientOptions { Endpoint = BaseUri, NetworkTimeout = TimeSpan.FromSeconds(30) });

    public HttpClient Http() => new() { BaseAddress = new Uri(BaseUri + "/") };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await Upstream.DisposeAsync();
        if (dropStore is not null)
        {
            await dropStore();
        }

        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file on some runs; the temp folder is the OS's to clean.
        }
    }
}

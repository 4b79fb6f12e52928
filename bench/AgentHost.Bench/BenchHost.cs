using System.Net;
using System.Text;
using System.Text.Json;
using AgentHost.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentHost.Bench;

/// <summary>The instant upstream, AgentHost in front of it on loopback, a temp data dir, and one HTTP client for both.</summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string dataDir;

    private BenchHost(WebApplication app, InstantUpstream upstream, string dataDir, string baseUrl, HttpClient client)
    {
        this.app = app;
        this.dataDir = dataDir;
        Upstream = upstream;
        BaseUrl = baseUrl;
        Client = client;
    }

    public InstantUpstream Upstream { get; }

    /// <summary>AgentHost's origin, without <c>/v1</c>.</summary>
    public string BaseUrl { get; }

    public HttpClient Client { get; }

    /// <summary>AgentHost's services, for the layer probes that bypass HTTP.</summary>
    public IServiceProvider Services => app.Services;

    public static async Task<BenchHost> StartAsync(params string[] settings) => await StartAsync(await InstantUpstream.StartAsync(), settings);

    /// <summary>AgentHost in front of <paramref name="upstream"/> (which the host disposes), with extra settings.</summary>
    public static async Task<BenchHost> StartAsync(InstantUpstream upstream, params string[] settings)
    {
        var dataDir = Directory.CreateTempSubdirectory("agenthost-bench-").FullName;
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--AgentHost:DataDir={dataDir}",
            "--AgentHost:Providers:OpenAI:ApiKey=sk-bench",
            $"--AgentHost:Providers:OpenAI:BaseUrl={upstream.BaseUrl}/v1",
            "--AgentHost:Providers:Anthropic:ApiKey=sk-ant-bench",
            $"--AgentHost:Providers:Anthropic:BaseUrl={upstream.BaseUrl}",
            // Extra settings, e.g. AGENTHOST_BENCH_ARGS=--AgentHost:Observability:Tracing=false to measure tracing's cost.
            .. (Environment.GetEnvironmentVariable("AGENTHOST_BENCH_ARGS") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries),
            .. settings,
        ];
        var app = AgentHostApp.Build(args, builder => builder.Logging.ClearProviders());
        await app.StartAsync();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BenchHost(app, upstream, dataDir, baseUrl, CreateClient());
    }

    public async Task<string> CreateAssistantAsync()
    {
        using var response = await Client.PostAsync(BaseUrl + "/v1/assistants", Json("""{"model":"gpt-4o","name":"bench"}"""));
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        return body.RootElement.GetProperty("id").GetString()!;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>POSTs JSON to <paramref name="path"/> (from the host, e.g. <c>/v1/vector_stores</c>) and returns the answer's body.</summary>
    public async Task<JsonElement> PostJsonAsync(string path, string json)
    {
        using var response = await Client.PostAsync(BaseUrl + path, Json(json));
        return await ReadJsonAsync(response);
    }

    /// <summary>The answer's JSON body; an error status throws with the body in the message.</summary>
    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode}: {text}");
        }

        using var body = JsonDocument.Parse(text);
        return body.RootElement.Clone();
    }

    private static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        // Enough pooled connections for every concurrent client; no proxy lookup, no decompression.
        MaxConnectionsPerServer = 1024,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await Upstream.DisposeAsync();
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file; the temp folder is the OS's to clean.
        }
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentHost.Testing;

/// <summary>
/// A real Kestrel server on a free loopback port, quiet (no logging), for the scripted upstreams that stand in for
/// model and embedding providers. The caller maps its routes; this owns the hosting.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private LoopbackServer(WebApplication app, string origin)
    {
        this.app = app;
        Origin = origin;
    }

    /// <summary>Scheme, host and port, e.g. <c>http://127.0.0.1:5123</c>: no path, no trailing slash.</summary>
    public string Origin { get; }

    public static async Task<LoopbackServer> StartAsync(Action<WebApplication> map)
    {
        // No configuration file is watched: the watch would cover the working directory recursively, and the data
        // directories of the servers under test (bench/ runs from /tmp) would wake it at every SQLite write.
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return new LoopbackServer(app, origin);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;

namespace AgentHost.Tools.Mcp;

/// <summary>
/// The MCP servers of this process: one connection per configured label, and one per allowed remote URL (and header
/// set) a request named. A request can only reach these; it never starts a process.
/// </summary>
public sealed partial class McpServers : IAsyncDisposable
{
    private readonly McpOptions options;
    private readonly McpClientSetup setup;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private readonly HttpClient http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly Dictionary<string, McpServerConnection> configured = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, McpServerConnection> remote = new(StringComparer.Ordinal);

    public McpServers(IOptions<McpOptions> options, McpClientSetup setup, TimeProvider time, ILoggerFactory loggerFactory)
    {
        this.options = options.Value;
        this.setup = setup;
        this.time = time;
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger<McpServers>();
        var index = 0;
        foreach (var (label, server) in this.options.Servers.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            configured[label] = Create(label, server, StdioLaunch.UidFor(index++, this.options));
        }
    }

    /// <summary>The labels the operator configured.</summary>
    public IReadOnlyCollection<string> Labels => configured.Keys;

    internal McpOptions Options => options;

    /// <summary>True while the configured server <paramref name="label"/> is up (started and not stopped or dead).</summary>
    public bool IsRunning(string label) => configured.TryGetValue(label, out var connection) && connection.IsRunning;

    /// <summary>The configured server <paramref name="label"/>, or null.</summary>
    internal McpServerConnection? Configured(string label) => configured.GetValueOrDefault(label);

    /// <summary>The configured server's URL (null for a stdio server); throws for an unknown label.</summary>
    internal string? ConfiguredUrl(string label) => options.Servers[label].Url;

    /// <summary>True when <paramref name="url"/> matches <see cref="McpOptions.AllowedUrls"/> exactly, or a prefix entry ending in <c>*</c>.</summary>
    public bool IsAllowedUrl(string url) => options.AllowedUrls.Any(allowed => allowed.EndsWith('*')
        ? url.StartsWith(allowed[..^1], StringComparison.Ordinal)
        : string.Equals(url, allowed, StringComparison.Ordinal));

    /// <summary>The connection to an allowed remote server, shared by requests that name the same URL and headers.</summary>
    internal McpServerConnection Remote(string label, string url, IReadOnlyDictionary<string, string> headers, string? description)
    {
        var key = Key(label, url, headers);
        return remote.GetOrAdd(key, _ => Create(label, new McpServerOptions
        {
            Url = url,
            Headers = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase),
            Description = description,
        }, null));
    }

    private McpServerConnection Create(string label, McpServerOptions server, int? uid)
    {
        var home = Path.Combine(options.WorkRoot ?? Path.Combine(Path.GetTempPath(), "agenthost-mcp"), label);
        Func<IClientTransport> transport = server.Url is { } url
            ? () => new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = new Uri(url),
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = server.Headers,
                Name = label,
                ConnectionTimeout = options.StartTimeout,
            }, http, loggerFactory, ownsHttpClient: false)
            : () => new StdioClientTransport(StdioLaunch.Options(label, server, home, uid, line => LogStderr(logger, label, line)), loggerFactory);
        return new McpServerConnection(label, server.Description, transport, setup.ClientOptions, options, time, loggerFactory);
    }

    private static string Key(string label, string url, IReadOnlyDictionary<string, string> headers)
    {
        var text = new StringBuilder(label).Append('\n').Append(url);
        foreach (var (name, value) in headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
        {
            text.Append('\n').Append(name.ToLowerInvariant()).Append(':').Append(value);
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in configured.Values.Concat(remote.Values))
        {
            await connection.DisposeAsync();
        }

        http.Dispose();
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "MCP server '{Label}' stderr: {Line}")]
    private static partial void LogStderr(ILogger logger, string label, string line);
}

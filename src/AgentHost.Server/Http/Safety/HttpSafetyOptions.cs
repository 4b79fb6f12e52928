namespace AgentHost.Server.Http.Safety;

/// <summary>What the HTTP surface accepts from networks and browsers (section <c>AgentHost:Http</c>).</summary>
public sealed class HttpSafetyOptions
{
    public const string SectionName = "AgentHost:Http";

    /// <summary>
    /// Host names accepted in the <c>Host</c> header besides loopback names and IP literals, e.g.
    /// <c>agenthost.example.com</c> or <c>*.example.com</c>; <c>*</c> accepts any. Stops DNS rebinding.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Web origins allowed to call the API from a browser (CORS), e.g. <c>https://app.example.com</c>. Default: none.</summary>
    public List<string> CorsOrigins { get; set; } = [];

    /// <summary>Lets AgentHost listen on a non-loopback address with no API key. Default: refused at start.</summary>
    public bool AllowRemoteWithoutKey { get; set; }

    /// <summary>Serves <c>/metrics</c> without the API key (e.g. for a scraper on a private network). Default: key required.</summary>
    public bool PublicMetrics { get; set; }
}

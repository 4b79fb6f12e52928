using AgentHost.Server.Hosting;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Http.Safety;

/// <summary>
/// Refuses to start on an address other machines can reach when no API key is set, unless the operator says so:
/// anyone on the network could otherwise spend the provider keys.
/// </summary>
internal sealed class HttpSafetyOptionsValidator(IConfiguration configuration, IOptions<AgentHostOptions> host) : IValidateOptions<HttpSafetyOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpSafetyOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(host.Value.ApiKey) && string.IsNullOrEmpty(host.Value.Auth.AdminKey) && !options.AllowRemoteWithoutKey)
        {
            foreach (var url in ListenUrls(configuration).Where(u => !HostNames.IsLoopbackBinding(u)))
            {
                errors.Add($"AgentHost would listen on {url} with no API key, so anyone who can reach it could use it and its provider keys. "
                    + "Set AgentHost:ApiKey (or AGENTHOST_API_KEY), listen on 127.0.0.1 instead, or set AgentHost:Http:AllowRemoteWithoutKey=true to accept the risk.");
            }
        }

        foreach (var origin in options.CorsOrigins.Where(o => o != "*" && !Uri.TryCreate(o, UriKind.Absolute, out _)))
        {
            errors.Add($"AgentHost:Http:CorsOrigins has '{origin}', which is not an origin; write it as scheme://host[:port], e.g. https://app.example.com.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The addresses the server will bind: <c>urls</c>/<c>ASPNETCORE_URLS</c> (else the default) and Kestrel endpoints.</summary>
    public static IEnumerable<string> ListenUrls(IConfiguration configuration)
    {
        var urls = configuration["urls"] is { Length: > 0 } configured ? configured
            : configuration["ASPNETCORE_URLS"] is { Length: > 0 } environment ? environment
            : AgentHostApp.DefaultUrl;
        return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
    }
}

using System.Net;

namespace AgentHost.Server.Http.Safety;

/// <summary>Decides which <c>Host</c> header values a request may carry.</summary>
internal sealed class HostNames(IEnumerable<string> allowed)
{
    private readonly string[] _exact = [.. allowed.Where(h => !h.StartsWith("*.", StringComparison.Ordinal) && h != "*")];
    private readonly string[] _suffixes = [.. allowed.Where(h => h.StartsWith("*.", StringComparison.Ordinal)).Select(h => h[1..])];
    private readonly bool _any = allowed.Contains("*");

    /// <summary>
    /// Loopback names and IP literals always pass: a browser only sends an IP literal when the page itself came from
    /// that address, so it cannot be a rebound name. Other names must be configured.
    /// </summary>
    public bool Accepts(HostString host)
    {
        if (_any)
        {
            return true;
        }

        var name = host.Host;
        if (name.Length == 0)
        {
            return false;
        }

        if (IPAddress.TryParse(name.Trim('[', ']'), out _)
            || name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return _exact.Contains(name, StringComparer.OrdinalIgnoreCase)
            || _suffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Whether an address AgentHost listens on can only be reached from this machine.</summary>
    public static bool IsLoopbackBinding(string url)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }

        var host = uri.Host.Trim('[', ']');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}

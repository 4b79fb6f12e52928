using Microsoft.Extensions.Options;

namespace AgentHost.Tools.Mcp;

/// <summary>Checks <c>AgentHost:Mcp</c> at start-up, saying how to fix each problem.</summary>
internal sealed class McpOptionsValidator : IValidateOptions<McpOptions>
{
    public ValidateOptionsResult Validate(string? name, McpOptions options)
    {
        var problems = new List<string>();
        foreach (var (label, server) in options.Servers)
        {
            if (!McpToolNames.IsValidLabel(label))
            {
                problems.Add($"AgentHost:Mcp:Servers:{label}: a server label must match ^[A-Za-z0-9_-]{{1,40}}$ (it prefixes the tool names the model sees).");
            }

            var hasCommand = !string.IsNullOrWhiteSpace(server.Command);
            var hasUrl = !string.IsNullOrWhiteSpace(server.Url);
            if (hasCommand == hasUrl)
            {
                problems.Add($"AgentHost:Mcp:Servers:{label}: set exactly one of Command (a stdio server) or Url (a streamable-HTTP server).");
            }

            if (hasUrl && (!Uri.TryCreate(server.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            {
                problems.Add($"AgentHost:Mcp:Servers:{label}:Url: '{server.Url}' is not an absolute http(s) URL.");
            }
        }

        if (options.MaxRestarts < 0 || options.MaxToolsPerServer < 1 || options.MaxOutputChars < 1000 || options.MaxImageBytes < 1024)
        {
            problems.Add("AgentHost:Mcp: MaxRestarts must be >= 0, MaxToolsPerServer >= 1, MaxOutputChars >= 1000 and MaxImageBytes >= 1024.");
        }

        if (options.CallTimeout <= TimeSpan.Zero || options.StartTimeout <= TimeSpan.Zero || options.IdleTimeout <= TimeSpan.Zero)
        {
            problems.Add("AgentHost:Mcp: CallTimeout, StartTimeout and IdleTimeout must be positive, e.g. 00:02:00.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

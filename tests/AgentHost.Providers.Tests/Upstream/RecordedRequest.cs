using System.Text.Json.Nodes;

namespace AgentHost.Providers.Tests.Upstream;

/// <summary>A request the scripted upstream received, for asserting what the SDKs sent.</summary>
internal sealed record RecordedRequest(string Path, IReadOnlyDictionary<string, string> Headers, JsonObject Body)
{
    public string? Model => Body["model"]?.GetValue<string>();

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

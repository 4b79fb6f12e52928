namespace AgentHost.Core.Domain;

internal static class Empty
{
    public static readonly IReadOnlyDictionary<string, string> Metadata = new Dictionary<string, string>();
}

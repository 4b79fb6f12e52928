using System.Text;

namespace AgentHost.Server.Tests.Support;

internal static class JsonBody
{
    public static StringContent Of(string json) => new(json, Encoding.UTF8, "application/json");
}

using System.Security.Cryptography;
using System.Text;

namespace AgentHost.Observability.Tracing;

/// <summary>
/// The id usage is attributed to for an API key: <c>key_</c> and the first 12 hex digits of its SHA-256, so the
/// key itself is never stored; <c>none</c> when the server runs without a key.
/// </summary>
public static class ApiKeyIdentity
{
    public static string Of(string? apiKey) => string.IsNullOrEmpty(apiKey)
        ? "none"
        : "key_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)))[..12];
}

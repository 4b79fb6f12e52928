using System.Security.Cryptography;
using System.Text;
using AgentHost.Core.Domain;

namespace AgentHost.Core.Tenancy;

/// <summary>
/// New key values and their lookup hash. A key is 48 random alphanumerics (about 285 bits), so a plain SHA-256 is a
/// safe lookup hash: there is nothing to guess that a slow hash would protect.
/// </summary>
public static class ProjectKeyValues
{
    public const string Prefix = "sk-proj-";

    public static string NewValue() => Prefix + IdGenerator.RandomAlphanumerics(48);

    public static string HashOf(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    public static string Redact(string value) => value[..Math.Min(value.Length, Prefix.Length + 2)] + "****" + value[^4..];
}

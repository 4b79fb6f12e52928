using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Server.Hosting;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Responses;

/// <summary>
/// The <c>encrypted_content</c> of a reasoning item: the turn's reasoning parts (text, and the provider's payload such
/// as Claude's thinking signature) as JSON, encrypted and authenticated with AES-256-GCM under the server's reasoning
/// key, so a client can hand reasoning back (<c>store: false</c>) without reading or altering it. The key is
/// <c>AgentHost:ReasoningKey</c> (any string; hashed to 256 bits), else 32 random bytes kept in
/// <c>{DataDir}/reasoning.key</c>, made on first use; nodes sharing a database must share the key.
/// </summary>
internal sealed class ReasoningSeal
{
    private const string Prefix = "ahr1_";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Lazy<byte[]> key;

    public ReasoningSeal(IOptions<AgentHostOptions> options, IConfiguration configuration)
    {
        var configured = configuration["AgentHost:ReasoningKey"];
        key = new Lazy<byte[]>(() => string.IsNullOrEmpty(configured)
            ? KeyFile(Path.Combine(options.Value.DataDir, "reasoning.key"))
            : SHA256.HashData(Encoding.UTF8.GetBytes(configured)));
    }

    /// <summary>Names the key without revealing it (an HMAC of a fixed text), so nodes can check they share one.</summary>
    public string Fingerprint() =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key.Value, "agenthost reasoning key fingerprint"u8))[..32];

    /// <summary>The sealed parts of <paramref name="reasoning"/>.</summary>
    public string Seal(StepReasoning reasoning)
    {
        var parts = new JsonArray();
        foreach (var part in reasoning.Parts)
        {
            var json = new JsonObject { ["text"] = part.Text, ["data"] = part.Data };
            if (part.Redacted)
            {
                json["redacted"] = true;
            }

            parts.Add(json);
        }

        var plain = Encoding.UTF8.GetBytes(new JsonObject { ["parts"] = parts }.ToJsonString());
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Value, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), AssociatedData);
        return Prefix + Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The parts sealed in <paramref name="content"/>; null when it was not sealed by this server's key or was altered.</summary>
    public IReadOnlyList<ReasoningPart>? Open(string content)
    {
        if (!content.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64Url.DecodeFromChars(content.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return null;
        }

        if (sealedBytes.Length < NonceSize + TagSize)
        {
            return null;
        }

        var length = sealedBytes.Length - NonceSize - TagSize;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(key.Value, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, length), sealedBytes.AsSpan(NonceSize + length), plain, AssociatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        var parts = new List<ReasoningPart>();
        foreach (var part in (JsonNode.Parse(plain)?["parts"] as JsonArray ?? []).OfType<JsonObject>())
        {
            parts.Add(new ReasoningPart((string?)part["text"] ?? string.Empty, (string?)part["data"]) { Redacted = (bool?)part["redacted"] ?? false });
        }

        return parts;
    }

    private static ReadOnlySpan<byte> AssociatedData => "agenthost reasoning v1"u8;

    /// <summary>The key kept in <paramref name="path"/>, made (readable by the owner only) when there is none yet.</summary>
    private static byte[] KeyFile(string path)
    {
        if (File.Exists(path))
        {
            return Existing(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var fresh = RandomNumberGenerator.GetBytes(32);
        var written = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(written, options))
        {
            file.Write(fresh);
        }

        try
        {
            // Moved into place whole, so a reader never sees a partial key.
            File.Move(written, path, overwrite: false);
            return fresh;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made it first: theirs is the key.
            File.Delete(written);
            return Existing(path);
        }
    }

    private static byte[] Existing(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return bytes.Length == 32 ? bytes : throw new InvalidOperationException($"The reasoning key file {path} must hold 32 bytes; it holds {bytes.Length}.");
    }
}

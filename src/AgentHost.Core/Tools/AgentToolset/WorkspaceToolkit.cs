using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Engine;

namespace AgentHost.Core.Tools.AgentToolset;

/// <summary>
/// The Python code that runs one tool call inside the workspace's sandbox session (toolkit.py, embedded), and the
/// reading of its result: JSON between two copies of a nonce chosen per call, so no other output is taken for it.
/// </summary>
internal static class WorkspaceToolkit
{
    /// <summary>The sandbox's working directory, where the container's files are.</summary>
    public const string Root = "/mnt/data";

    private static readonly string Source = Load();

    /// <summary>The cell that runs <paramref name="tool"/> with <paramref name="arguments"/>.</summary>
    public static string Code(string tool, JsonObject arguments, string nonce, JsonObject limits)
    {
        var request = new JsonObject
        {
            ["tool"] = tool,
            ["args"] = arguments,
            ["root"] = Root,
            ["nonce"] = nonce,
            ["limits"] = limits,
        };
        var encoded = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(request, EngineJsonContext.Default.JsonObject));
        return Source + "\n_agenthost_toolset(\"" + encoded + "\")\n";
    }

    public static string NewNonce() => "<<agenthost-result-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) + ">>";

    /// <summary>
    /// The result the call printed, and the rest of its logs (notes of the sandbox: files not collected, a limit hit);
    /// null when it printed none (the session was killed or a limit stopped the call).
    /// </summary>
    public static (JsonElement Result, string Notes)? Parse(string logs, string nonce)
    {
        var start = logs.IndexOf(nonce, StringComparison.Ordinal);
        var end = logs.LastIndexOf(nonce, StringComparison.Ordinal);
        if (start < 0 || end <= start)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(logs.AsMemory(start + nonce.Length, end - start - nonce.Length));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var rest = new StringBuilder().Append(logs, 0, start).Append(logs, end + nonce.Length, logs.Length - end - nonce.Length).ToString();
            return (document.RootElement.Clone(), rest.Trim());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Load()
    {
        using var stream = typeof(WorkspaceToolkit).Assembly.GetManifestResourceStream("AgentHost.Core.Tools.AgentToolset.toolkit.py")
            ?? throw new InvalidOperationException("The agent toolset's toolkit script is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

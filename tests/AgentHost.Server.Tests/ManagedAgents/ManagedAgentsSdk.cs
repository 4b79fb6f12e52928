using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;

namespace AgentHost.Server.Tests.ManagedAgents;

/// <summary>Runs a scenario of <c>tests/clients/anthropic-sdk/managed-agents.mjs</c> (the pinned Anthropic SDK) against a server.</summary>
internal static class ManagedAgentsSdk
{
    public static Task<JsonNode> RunAsync(AgentHostServer server, string scenario, JsonObject? arguments = null) =>
        RunAsync(server.BaseUri.ToString()[..^"/v1".Length], scenario, arguments);

    /// <summary>Runs a scenario against the AgentHost at <paramref name="baseUrl"/> (without <c>/v1</c>).</summary>
    public static async Task<JsonNode> RunAsync(string baseUrl, string scenario, JsonObject? arguments = null)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = TestComponents.NodeProject("anthropic-sdk"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "managed-agents.mjs", baseUrl, scenario, (arguments ?? []).ToJsonString() })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The SDK scenario '{scenario}' did not finish in 2 minutes: {await errors}");
        }

        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(process.ExitCode == 0 && lines.Length > 0, $"The SDK scenario '{scenario}' exited {process.ExitCode}: {await errors}");
        return JsonNode.Parse(lines[^1])!;
    }

    /// <summary>Uploads a file to <c>/v1/files</c> and returns its id.</summary>
    public static async Task<string> UploadAsync(AgentHostServer server, string filename, string content)
    {
        using var http = server.Http();
        using var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(content));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using var form = new MultipartFormDataContent { { new StringContent("assistants"), "purpose" }, { file, "file", filename } };
        using var response = await http.PostAsync("files", form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    /// <summary>The types of <paramref name="events"/> in order.</summary>
    public static List<string> Types(JsonNode? events) => [.. events!.AsArray().Select(e => e!["type"]!.GetValue<string>())];
}

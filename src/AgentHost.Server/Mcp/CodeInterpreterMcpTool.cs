using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Files;
using AgentHost.Core.Sandbox;
using ModelContextProtocol.Protocol;

namespace AgentHost.Server.Mcp;

/// <summary>
/// <c>/mcp</c>'s <c>code_interpreter</c>: Python in the bubblewrap sandbox, one stateful session per MCP session
/// (<see cref="McpSandboxSessions"/>). Console output is text, charts are PNG images, and files the code writes under
/// <c>/mnt/data</c> are stored (<c>assistants_output</c>) and returned as resource links with their file ids.
/// </summary>
internal sealed class CodeInterpreterMcpTool(McpSandboxSessions sessions, ICodeSandbox sandbox, IFileStore files)
{
    public const string Name = "code_interpreter";

    public static Tool Definition { get; } = new()
    {
        Name = Name,
        Title = "Run Python",
        Description = "Runs Python 3 in an isolated, stateful session with no network: variables, imports and files under /mnt/data persist "
            + "between calls of this MCP session. The value of the last expression is printed. pandas, numpy and matplotlib are available; "
            + "charts left open are returned as images, and files written to /mnt/data are returned as links to AgentHost files.",
        InputSchema = JsonOf("""
            {"type":"object","properties":{"code":{"type":"string","description":"The Python code to run."}},"required":["code"],"additionalProperties":false}
            """),
        Annotations = new ToolAnnotations { ReadOnlyHint = false, DestructiveHint = false, OpenWorldHint = false },
    };

    public async Task<CallToolResult> CallAsync(string? mcpSessionId, IDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken)
    {
        var code = new McpToolArguments(Name, arguments).Allow("code").RequiredString("code");
        if (sandbox.UnavailableReason is { } reason)
        {
            // Never run outside the sandbox.
            throw new McpToolCallException("The code_interpreter tool is unavailable: " + reason);
        }

        var (notice, result) = await sessions.UseAsync(mcpSessionId, async (session, notice) => (notice, await session.ExecuteAsync(code, null, cancellationToken)), cancellationToken);
        var content = new List<ContentBlock>();
        var logs = (notice ?? string.Empty) + result.Logs;
        content.Add(new TextContentBlock { Text = logs.Length == 0 ? "(no output)" : logs });
        content.AddRange(result.Images.Select(png => (ContentBlock)ImageContentBlock.FromBytes(png, "image/png")));

        var written = new JsonArray();
        foreach (var file in result.Files)
        {
            using var bytes = new MemoryStream(file.Content, writable: false);
            var stored = await files.CreateAsync("/mnt/data/" + file.Name, FilePurposes.AssistantsOutput, bytes, cancellationToken);
            content.Add(new ResourceLinkBlock
            {
                Uri = "sandbox:/mnt/data/" + file.Name,
                Name = file.Name,
                Description = $"Written by the code; stored as AgentHost file {stored.Id} (GET /v1/files/{stored.Id}/content).",
                Size = file.Content.Length,
            });
            written.Add(new JsonObject { ["path"] = "/mnt/data/" + file.Name, ["file_id"] = stored.Id, ["bytes"] = file.Content.Length });
        }

        var structured = new JsonObject
        {
            ["logs"] = logs,
            ["images"] = result.Images.Count,
            ["files"] = written,
            ["failure"] = result.Failure?.ToString().ToLowerInvariant(),
            ["session_reset"] = notice is not null,
        };
        return new CallToolResult { Content = content, StructuredContent = JsonOf(structured.ToJsonString()), IsError = result.Failure is not null };
    }

    private static JsonElement JsonOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

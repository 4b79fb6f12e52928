using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Containers;
using AgentHost.Core.Domain;
using AgentHost.Core.Sandbox;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgentHost.Core.Tools.AgentToolset;

/// <summary>
/// The <c>agent_toolset_20260401</c> tool of Managed Agents: <c>bash</c>, <c>read</c>, <c>write</c>, <c>edit</c>,
/// <c>glob</c> and <c>grep</c> run in the session's workspace — the container named by the definition's
/// <c>container_id</c>, whose sandbox session keeps the shell and whose files are stored and restored after a restart —
/// as Python inside the sandbox (toolkit.py), so no path can reach a host file. <c>web_fetch</c> and
/// <c>web_search</c> answer that networking is off. Permission policies are the front door's (its gate); this source
/// only runs calls.
/// </summary>
public sealed partial class AgentToolsetSource(
    ContainerService containers, ICodeSandbox sandbox, SandboxOptions sandboxOptions, AgentToolsetOptions options, ILogger<AgentToolsetSource> logger)
    : IToolSource
{
    /// <summary>How much longer the sandbox call may take than the command's own timeout: restoring files, collecting them.</summary>
    private static readonly TimeSpan CallMargin = TimeSpan.FromSeconds(30);

    internal const string NewShellNotice =
        "[AgentHost: the workspace's sandbox was restarted (it was idle, hit a limit, or AgentHost restarted), so this is a new shell: "
        + "the working directory and variables are back to their defaults. The files in /mnt/data were restored.]\n";

    public IReadOnlyCollection<string> Types { get; } = [AgentToolsetConfig.Type];

    public ToolDefinition Validate(ToolDefinition definition, string parameter)
    {
        AgentToolsetConfig.Read(definition, parameter);
        return definition;
    }

    public ValueTask<IReadOnlyList<AIFunctionDeclaration>> DeclareAsync(ThreadRun run, ToolDefinition definition, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<AIFunctionDeclaration>>([.. AgentToolsetConfig.Of(definition).Enabled.Select(t => AgentToolDeclarations.Of(t.Name))]);

    public async Task<ToolCallOutcome> InvokeAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var config = AgentToolsetConfig.Of(invocation.Definition);
        var containerId = config.ContainerId
            ?? throw new InvalidOperationException($"The {AgentToolsetConfig.Type} tool names no workspace: the front door must set its '{AgentToolsetConfig.ContainerIdSetting}'.");
        var name = invocation.Name;
        var record = new AgentToolCallRecord { Name = name, Arguments = invocation.Arguments, ContainerId = containerId, Output = string.Empty };

        if (config.Tool(name) is not { Enabled: true })
        {
            return Outcome(invocation, record with
            {
                Output = $"The tool '{name}' is not available: it is not an enabled tool of this agent's toolset.",
                IsError = true,
            });
        }

        if (!AgentToolNames.RunsInWorkspace(name))
        {
            return Outcome(invocation, record with { Output = NetworkingOff(name), IsError = true });
        }

        if (ArgumentsOf(invocation.Arguments) is not { } arguments)
        {
            return Outcome(invocation, record with { Output = $"The input of '{name}' must be a JSON object; got: {Clip(invocation.Arguments)}", IsError = true });
        }

        if (sandbox.UnavailableReason is { } reason)
        {
            // The run fails with this in its error: nothing runs outside the sandbox.
            throw new SandboxUnavailableException($"The {AgentToolsetConfig.Type} tools are unavailable: " + reason);
        }

        var timeout = name == AgentToolNames.Bash ? BashTimeout(arguments) : (TimeSpan?)null;
        var nonce = WorkspaceToolkit.NewNonce();
        var code = WorkspaceToolkit.Code(name, arguments, nonce, Limits(timeout));
        ContainerCallResult result;
        string? resetNotice;
        await using (var lease = await containers.AcquireAsync(containerId, cancellationToken))
        {
            resetNotice = lease.ResetNotice;
            result = timeout is { } commandTimeout
                ? await lease.ExecuteAsync(code, null, commandTimeout + CallMargin, cancellationToken)
                : await lease.ExecuteAsync(code, null, cancellationToken);
        }

        return Outcome(invocation, Read(record, result, resetNotice, nonce));
    }

    public ToolCallView Describe(StepToolCall call) =>
        AgentToolCallRecord.From(call)?.ToView() ?? new ToolCallView(call.Type, "{}", "(no record of this call)") { IsError = true };

    /// <summary>The record of a call from what the sandbox printed: the toolkit's result, with any notes of the sandbox after it.</summary>
    private AgentToolCallRecord Read(AgentToolCallRecord record, ContainerCallResult result, string? resetNotice, string nonce)
    {
        var logs = resetNotice is not null && result.Logs.StartsWith(resetNotice, StringComparison.Ordinal) ? result.Logs[resetNotice.Length..] : result.Logs;
        var notice = resetNotice is not null && record.Name == AgentToolNames.Bash ? NewShellNotice : string.Empty;
        if (WorkspaceToolkit.Parse(logs, nonce) is not var (value, rest))
        {
            // No result: a limit stopped the call or the session died; its logs say which.
            LogNoResult(logger, record.Name, record.ContainerId!, result.Failure?.ToString() ?? "none");
            return record with
            {
                Output = notice + "The call was stopped before it finished. " + (logs.Trim() is { Length: > 0 } said ? said : "The sandbox session ended unexpectedly."),
                IsError = true,
            };
        }

        var output = String(value, "output") ?? string.Empty;
        if (rest.Length > 0)
        {
            output += (output.Length == 0 || output.EndsWith('\n') ? string.Empty : "\n") + rest;
        }

        var images = new List<AgentToolImage>();
        if (value.TryGetProperty("images", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            images.AddRange(list.EnumerateArray()
                .Where(i => String(i, "media_type") is not null && String(i, "data") is not null)
                .Select(i => new AgentToolImage(String(i, "media_type")!, String(i, "data")!)));
        }

        return record with
        {
            Output = notice + output,
            IsError = value.TryGetProperty("is_error", out var isError) && isError.ValueKind == JsonValueKind.True,
            Images = images,
            ExitCode = value.TryGetProperty("exit_code", out var exit) && exit.ValueKind == JsonValueKind.Number ? exit.GetInt32() : null,
            TimedOut = value.TryGetProperty("timed_out", out var timedOut) && timedOut.ValueKind == JsonValueKind.True,
            Truncated = value.TryGetProperty("truncated", out var truncated) && truncated.ValueKind == JsonValueKind.True,
        };
    }

    /// <summary>The command's timeout: <c>timeout_ms</c> when given and positive (at most <see cref="AgentToolsetOptions.MaxBashTimeout"/>), else the default.</summary>
    private TimeSpan BashTimeout(JsonObject arguments)
    {
        if (arguments["timeout_ms"] is JsonValue value && value.TryGetValue<double>(out var ms) && ms > 0 && double.IsFinite(ms))
        {
            var asked = TimeSpan.FromMilliseconds(Math.Min(ms, options.MaxBashTimeout.TotalMilliseconds));
            return asked < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : asked;
        }

        return options.BashTimeout;
    }

    /// <summary>
    /// The toolkit's limits. The result travels as ASCII JSON through the sandbox's output, which stops a call past
    /// <see cref="SandboxOptions.MaxOutputBytes"/>: text may grow up to six times when escaped, an image by a third.
    /// </summary>
    private JsonObject Limits(TimeSpan? timeout)
    {
        var textBudget = Math.Max(4096, sandboxOptions.MaxOutputBytes / 6 - 8192);
        return new JsonObject
        {
            ["timeout_s"] = (timeout ?? options.BashTimeout).TotalSeconds,
            ["tail_bytes"] = Math.Min(options.BashOutputBytes, textBudget),
            ["output_bytes"] = Math.Min(options.ReadOutputBytes, textBudget),
            ["image_bytes"] = Math.Max(4096, sandboxOptions.MaxOutputBytes / 4 * 3 - 16384),
            ["data_size_mb"] = sandboxOptions.DataSizeMB,
            ["glob_limit"] = options.GlobLimit,
            ["grep_limit"] = options.GrepLimit,
            ["scan_limit"] = sandboxOptions.ScanLimit * 5,
        };
    }

    private static string NetworkingOff(string name) =>
        $"{name} is not available: networking is off in this environment (the session's sandbox has no network access), so "
        + (name == AgentToolNames.WebFetch ? "no URL can be fetched." : "the web cannot be searched.")
        + " Work with the files in /mnt/data, or ask the user for the content you need.";

    private static JsonObject? ArgumentsOf(string arguments)
    {
        try
        {
            return JsonNode.Parse(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ToolCallOutcome Outcome(ToolInvocation invocation, AgentToolCallRecord record) => new(record.ToStepCall(invocation.CallId));

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";

    [LoggerMessage(EventId = 4400, Level = LogLevel.Warning, Message = "Agent toolset call {Tool} in container {ContainerId} printed no result (failure: {Failure})")]
    private static partial void LogNoResult(ILogger logger, string tool, string containerId, string failure);
}

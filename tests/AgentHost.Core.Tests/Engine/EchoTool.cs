using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Tools;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tests.Engine;

/// <summary>
/// A tool source that answers <c>pong: {text}</c>, recording each call; its step entry keeps arguments and output
/// under <c>"echo"</c>. With <see cref="AskFirst"/> it asks for approval before each call, as MCP servers may.
/// </summary>
internal sealed class EchoTool : IToolSource
{
    public const string ToolType = "echo";

    private static readonly AIFunctionDeclaration Declaration =
        AIFunctionFactory.CreateDeclaration(ToolType, "Echoes text.", JsonDocument.Parse("""{"type":"object","properties":{"text":{"type":"string"}}}""").RootElement);

    public ConcurrentQueue<string> Calls { get; } = new();

    public bool AskFirst { get; init; }

    public IReadOnlyCollection<string> Types { get; } = [ToolType];

    public ValueTask<IReadOnlyList<AIFunctionDeclaration>> DeclareAsync(ThreadRun run, ToolDefinition definition, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<AIFunctionDeclaration>>([Declaration]);

    public Task<ToolCallOutcome> InvokeAsync(ToolInvocation call, CancellationToken cancellationToken)
    {
        if (AskFirst && call.Approved is null)
        {
            return Task.FromResult(new ToolCallOutcome(Record(call.CallId, call.Arguments, null, "pending"))
            {
                Approval = new ToolApprovalRequest("mcp_approval", "echo_approval", call.Arguments),
            });
        }

        Calls.Enqueue(call.CallId);
        using var arguments = JsonDocument.Parse(call.Arguments);
        var text = arguments.RootElement.TryGetProperty("text", out var t) ? t.GetString() : null;
        return Task.FromResult(new ToolCallOutcome(Record(call.CallId, call.Arguments, "pong: " + text, call.Approved is null ? null : "approved")));
    }

    public ToolCallView Describe(StepToolCall call)
    {
        var details = call.Details!.Value;
        var output = details.TryGetProperty("output", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : string.Empty;
        return new ToolCallView(ToolType, details.GetProperty("arguments").GetString()!, output);
    }

    public StepToolCall Decide(StepToolCall call, ToolDecision decision)
    {
        var arguments = call.Details!.Value.GetProperty("arguments").GetString()!;
        return decision.Approved ? Record(call.Id, arguments, null, "approved") : Record(call.Id, arguments, "denied: " + decision.Reason, "denied");
    }

    public bool AwaitsExecution(StepToolCall call) =>
        call.Details is { } details && details.GetProperty("approval").GetString() == "approved" && details.GetProperty("output").ValueKind == JsonValueKind.Null;

    private static StepToolCall Record(string id, string arguments, string? output, string? approval) => new()
    {
        Id = id,
        Type = ToolType,
        Details = JsonSerializer.SerializeToElement(new JsonObject { ["arguments"] = arguments, ["output"] = output, ["approval"] = approval }),
    };
}

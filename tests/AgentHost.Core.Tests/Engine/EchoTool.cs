using System.Collections.Concurrent;
using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Tools;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tests.Engine;

/// <summary>A built-in tool that answers <c>pong: {text}</c>, recording each call; its step entry is a function call with the output.</summary>
internal sealed class EchoTool : IBuiltInTool
{
    public const string ToolType = "echo";

    public ConcurrentQueue<string> Calls { get; } = new();

    public string Type => ToolType;

    public AIFunctionDeclaration Describe(ToolDefinition definition) =>
        AIFunctionFactory.CreateDeclaration(ToolType, "Echoes text.", JsonDocument.Parse("""{"type":"object","properties":{"text":{"type":"string"}}}""").RootElement);

    public Task<StepToolCall> InvokeAsync(BuiltInToolCall call, CancellationToken cancellationToken)
    {
        Calls.Enqueue(call.CallId);
        using var arguments = JsonDocument.Parse(call.Arguments);
        var text = arguments.RootElement.TryGetProperty("text", out var t) ? t.GetString() : null;
        return Task.FromResult(new StepToolCall { Id = call.CallId, Type = ToolType, Function = new StepFunctionCall(ToolType, call.Arguments, "pong: " + text) });
    }

    public BuiltInCallRecord DescribeCall(StepToolCall call) => new(call.Function!.Arguments, call.Function.Output ?? string.Empty);
}

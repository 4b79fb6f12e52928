using System.Collections.Concurrent;
using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Tools;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tests.Engine;

/// <summary>A tool source that answers <c>pong: {text}</c>, recording each call; its step entry keeps the arguments and output as details.</summary>
internal sealed class EchoTool : IToolSource
{
    public const string ToolType = "echo";

    public ConcurrentQueue<string> Calls { get; } = new();

    public IReadOnlyCollection<string> Types { get; } = [ToolType];

    public ValueTask<IReadOnlyList<AIFunctionDeclaration>> DeclareAsync(ThreadRun run, ToolDefinition definition, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<AIFunctionDeclaration>>(
            [AIFunctionFactory.CreateDeclaration(ToolType, "Echoes text.", JsonDocument.Parse("""{"type":"object","properties":{"text":{"type":"string"}}}""").RootElement)]);

    public Task<ToolCallOutcome> InvokeAsync(ToolInvocation call, CancellationToken cancellationToken)
    {
        Calls.Enqueue(call.CallId);
        using var arguments = JsonDocument.Parse(call.Arguments);
        var text = arguments.RootElement.TryGetProperty("text", out var t) ? t.GetString() : null;
        var details = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["arguments"] = call.Arguments, ["output"] = "pong: " + text });
        return Task.FromResult(new ToolCallOutcome(new StepToolCall { Id = call.CallId, Type = ToolType, Details = details }));
    }

    public ToolCallView Describe(StepToolCall call) =>
        new(ToolType, call.Details!.Value.GetProperty("arguments").GetString()!, call.Details.Value.GetProperty("output").GetString()!);
}

using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Tools;
using Microsoft.Extensions.AI;

namespace AgentHost.Agents.Tests;

/// <summary>
/// A built-in tool source (as the code interpreter or file search are): the engine runs its calls itself, answering
/// <c>found: {query}</c> and recording each query it ran.
/// </summary>
internal sealed class LookupTool : IToolSource
{
    public const string ToolType = "lookup";

    public static readonly ToolDefinition Definition = new() { Type = ToolType };

    private static readonly AIFunctionDeclaration Declaration =
        AIFunctionFactory.CreateDeclaration(ToolType, "Looks a query up.", JsonDocument.Parse("""{"type":"object","properties":{"query":{"type":"string"}}}""").RootElement);

    public ConcurrentQueue<string> Queries { get; } = new();

    public IReadOnlyCollection<string> Types { get; } = [ToolType];

    public ValueTask<IReadOnlyList<AIFunctionDeclaration>> DeclareAsync(ThreadRun run, ToolDefinition definition, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<AIFunctionDeclaration>>([Declaration]);

    public Task<ToolCallOutcome> InvokeAsync(ToolInvocation call, CancellationToken cancellationToken)
    {
        using var arguments = JsonDocument.Parse(call.Arguments);
        var query = arguments.RootElement.TryGetProperty("query", out var q) ? q.GetString() ?? string.Empty : string.Empty;
        Queries.Enqueue(query);
        var details = new JsonObject { ["arguments"] = call.Arguments, ["output"] = "found: " + query };
        return Task.FromResult(new ToolCallOutcome(new StepToolCall { Id = call.CallId, Type = ToolType, Details = JsonSerializer.SerializeToElement(details) }));
    }

    public ToolCallView Describe(StepToolCall call) =>
        new(ToolType, call.Details!.Value.GetProperty("arguments").GetString()!, call.Details!.Value.GetProperty("output").GetString()!);
}

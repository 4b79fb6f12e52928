using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Tools;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Tests.ManagedAgents;

/// <summary>
/// A stand-in for the agent toolset (<c>agent_toolset_20260401</c>) while the door is tested on its own: it declares
/// <c>bash</c>, answers <c>ran: {command}</c>, and for the command <c>sleep</c> runs until cancelled. It records the
/// workspace (<c>container_id</c>) each call was given and the calls that were cancelled.
/// </summary>
internal sealed class ScriptedToolset : IToolSource
{
    public const string ToolType = "agent_toolset_20260401";

    private static readonly AIFunctionDeclaration Bash = AIFunctionFactory.CreateDeclaration("bash", "Runs a command.",
        JsonDocument.Parse("""{"type":"object","properties":{"command":{"type":"string"}},"required":["command"]}""").RootElement);

    public ConcurrentQueue<(string Command, string? ContainerId)> Calls { get; } = new();

    public ConcurrentQueue<string> Cancelled { get; } = new();

    /// <summary>Completed when a <c>sleep</c> command has started.</summary>
    public TaskCompletionSource Sleeping { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyCollection<string> Types { get; } = [ToolType];

    public ValueTask<IReadOnlyList<AIFunctionDeclaration>> DeclareAsync(ThreadRun run, ToolDefinition definition, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<AIFunctionDeclaration>>([Bash]);

    public async Task<ToolCallOutcome> InvokeAsync(ToolInvocation call, CancellationToken cancellationToken)
    {
        using var arguments = JsonDocument.Parse(call.Arguments);
        var command = arguments.RootElement.GetProperty("command").GetString()!;
        Calls.Enqueue((command, call.Definition.Setting("container_id")?.GetString()));
        if (command == "sleep")
        {
            Sleeping.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled.Enqueue(call.CallId);
                throw;
            }
        }

        return new ToolCallOutcome(Record(call.CallId, call.Name, call.Arguments, "ran: " + command));
    }

    public ToolCallView Describe(StepToolCall call)
    {
        var details = call.Details!.Value;
        return new ToolCallView(details.GetProperty("name").GetString()!, details.GetProperty("arguments").GetString()!, details.GetProperty("output").GetString() ?? string.Empty);
    }

    private static StepToolCall Record(string id, string name, string arguments, string output) => new()
    {
        Id = id,
        Type = ToolType,
        Details = JsonSerializer.SerializeToElement(new JsonObject { ["name"] = name, ["arguments"] = arguments, ["output"] = output }),
    };
}

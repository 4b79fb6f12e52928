using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Tools;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Tests.Observability;

/// <summary>
/// A real tool source for tests, served under the <c>code_interpreter</c> type: it squares the number it is given.
/// It shows that every <see cref="IToolSource"/> call is traced by the executor with no work of its own.
/// </summary>
internal sealed class SquareTool : IToolSource
{
    private static readonly AIFunctionDeclaration Declaration =
        AIFunctionFactory.CreateDeclaration(ToolTypes.CodeInterpreter, "Squares a number.", JsonDocument.Parse("""{"type":"object","properties":{"n":{"type":"number"}}}""").RootElement);

    public IReadOnlyCollection<string> Types { get; } = [ToolTypes.CodeInterpreter];

    public ValueTask<IReadOnlyList<AIFunctionDeclaration>> DeclareAsync(ThreadRun run, ToolDefinition definition, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<AIFunctionDeclaration>>([Declaration]);

    public Task<ToolCallOutcome> InvokeAsync(ToolInvocation call, CancellationToken cancellationToken)
    {
        var n = JsonDocument.Parse(call.Arguments).RootElement.GetProperty("n").GetDouble();
        var payload = JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["input"] = call.Arguments,
            ["outputs"] = new[] { new Dictionary<string, string> { ["type"] = "logs", ["logs"] = (n * n).ToString(System.Globalization.CultureInfo.InvariantCulture) } },
        });
        return Task.FromResult(new ToolCallOutcome(new StepToolCall { Id = call.CallId, Type = ToolTypes.CodeInterpreter, Details = payload }));
    }

    public ToolCallView Describe(StepToolCall call) =>
        new(ToolTypes.CodeInterpreter, call.Details!.Value.GetProperty("input").GetString()!, call.Details.Value.GetProperty("outputs")[0].GetProperty("logs").GetString()!);
}

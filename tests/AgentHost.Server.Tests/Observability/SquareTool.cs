using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Tools;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Tests.Observability;

/// <summary>
/// A real built-in tool for tests, served under the <c>code_interpreter</c> type: it squares the number it is given.
/// It shows that every <see cref="IBuiltInTool"/> is traced by the executor with no work of its own.
/// </summary>
internal sealed class SquareTool : IBuiltInTool
{
    public string Type => ToolTypes.CodeInterpreter;

    public AIFunctionDeclaration Describe(ToolDefinition definition) =>
        AIFunctionFactory.CreateDeclaration(Type, "Squares a number.", JsonDocument.Parse("""{"type":"object","properties":{"n":{"type":"number"}}}""").RootElement);

    public Task<StepToolCall> InvokeAsync(BuiltInToolCall call, CancellationToken cancellationToken)
    {
        var n = JsonDocument.Parse(call.Arguments).RootElement.GetProperty("n").GetDouble();
        var payload = JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["input"] = call.Arguments,
            ["outputs"] = new[] { new Dictionary<string, string> { ["type"] = "logs", ["logs"] = (n * n).ToString(System.Globalization.CultureInfo.InvariantCulture) } },
        });
        return Task.FromResult(new StepToolCall { Id = call.CallId, Type = Type, CodeInterpreter = payload });
    }

    public BuiltInCallRecord DescribeCall(StepToolCall call) =>
        new(call.CodeInterpreter!.Value.GetProperty("input").GetString()!, call.CodeInterpreter.Value.GetProperty("outputs")[0].GetProperty("logs").GetString()!);
}

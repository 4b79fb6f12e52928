using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;

namespace AgentHost.Core.Tools;

/// <summary>
/// Step records of source-served tool calls that the engine, not the source, decided: refused by a gate, waiting for a
/// <c>permission</c> decision, approved and still to run, or with the output an after-hook replaced. They keep the
/// call's tool type and put the engine's part under <c>"agenthost_call"</c> in the details, so every reader (prompt
/// builder, renderers) describes them the same way whatever the source.
/// </summary>
public static class EngineToolRecords
{
    /// <summary>The details property holding the engine's part of a record.</summary>
    public const string Property = "agenthost_call";

    /// <summary>The function name a <c>permission</c> approval is rendered as in <c>requires_action</c>.</summary>
    public const string PermissionFunction = "tool_permission";

    private const string Refused = "refused";
    private const string AwaitingPermission = "awaiting_permission";
    private const string Approved = "approved";
    private const string Replaced = "replaced";

    /// <summary>A call that did not run: the model reads <paramref name="output"/> as its (error) result.</summary>
    public static StepToolCall Refusal(string callId, string type, string name, string arguments, string output) =>
        Record(callId, type, new JsonObject(), name, arguments, output, Refused);

    /// <summary>A call that waits for a <c>permission</c> decision before it runs.</summary>
    public static StepToolCall AwaitingDecision(string callId, string type, string name, string arguments) =>
        Record(callId, type, new JsonObject(), name, arguments, null, AwaitingPermission);

    /// <summary>The approval the run pauses on for <paramref name="record"/> (<see cref="AwaitingDecision"/>).</summary>
    public static ToolApprovalRequest PermissionRequest(string type, string name, string arguments) =>
        new(Events.PendingDecision.Permission, PermissionFunction, new JsonObject { ["tool"] = type, ["name"] = name, ["arguments"] = arguments }.ToJsonString());

    /// <summary><paramref name="record"/> as the source wrote it, but with <paramref name="output"/> as what the model reads.</summary>
    public static StepToolCall WithOutput(StepToolCall record, ToolCallView view, string output)
    {
        var details = record.Details is { ValueKind: JsonValueKind.Object } d ? JsonObject.Create(d) ?? new JsonObject() : new JsonObject();
        details.Remove(Property);
        return Record(record.Id, record.Type, details, view.Name, view.Arguments, output, Replaced, view.IsError);
    }

    /// <summary>
    /// True when the engine wrote the whole record (refused, waiting for or approved by a permission decision): the
    /// source never saw the call, so its own <c>Decide</c> and <c>AwaitsExecution</c> must not be asked about it.
    /// </summary>
    public static bool IsEngineRecord(StepToolCall call) => StatusOf(call) is Refused or AwaitingPermission or Approved;

    /// <summary>True for a call waiting for a <c>permission</c> decision.</summary>
    public static bool IsAwaitingDecision(StepToolCall call) => StatusOf(call) == AwaitingPermission;

    /// <summary>True for a call a <c>permission</c> decision approved that has not run yet.</summary>
    public static bool AwaitsExecution(StepToolCall call) => StatusOf(call) == Approved;

    /// <summary>Records the answer to a <c>permission</c> approval: approved (runs before the next model call) or refused.</summary>
    public static StepToolCall Decide(StepToolCall call, ToolDecision decision)
    {
        var part = PartOf(call)!;
        var name = part["name"]?.GetValue<string>() ?? call.Type;
        var arguments = part["arguments"]?.GetValue<string>() ?? "{}";
        return decision.Approved
            ? Record(call.Id, call.Type, new JsonObject(), name, arguments, null, Approved)
            : Refusal(call.Id, call.Type, name, arguments, "Denied: " + (decision.Reason ?? "the user denied this call."));
    }

    /// <summary>The call's name and arguments as the model made them, for an approved call the engine runs now.</summary>
    public static (string Name, string Arguments) CallOf(StepToolCall call)
    {
        var part = PartOf(call)!;
        return (part["name"]?.GetValue<string>() ?? call.Type, part["arguments"]?.GetValue<string>() ?? "{}");
    }

    /// <summary>A recorded call as the model saw it, whether its source or the engine wrote it.</summary>
    public static ToolCallView Describe(IToolSource source, StepToolCall call)
    {
        if (PartOf(call) is not { } part)
        {
            return source.Describe(call);
        }

        var status = part["status"]?.GetValue<string>();
        var output = part["output"]?.GetValue<string>() ?? string.Empty;
        var isError = part["is_error"]?.GetValue<bool>() ?? false;
        if (status == Replaced)
        {
            return source.Describe(call) with { Output = output, IsError = isError };
        }

        return new ToolCallView(part["name"]?.GetValue<string>() ?? call.Type, part["arguments"]?.GetValue<string>() ?? "{}", output) { IsError = isError };
    }

    private static string? StatusOf(StepToolCall call) =>
        call.Details is { ValueKind: JsonValueKind.Object } details && details.TryGetProperty(Property, out var part)
            && part.ValueKind == JsonValueKind.Object && part.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String
            ? status.GetString()
            : null;

    private static JsonObject? PartOf(StepToolCall call) =>
        call.Details is { ValueKind: JsonValueKind.Object } details && details.TryGetProperty(Property, out var part) && part.ValueKind == JsonValueKind.Object
            ? JsonObject.Create(part)
            : null;

    private static StepToolCall Record(string callId, string type, JsonObject details, string name, string arguments, string? output, string status, bool isError = false)
    {
        details[Property] = new JsonObject
        {
            ["status"] = status,
            ["name"] = name,
            ["arguments"] = arguments,
            ["output"] = output,
            ["is_error"] = isError || status == Refused,
        };
        return new StepToolCall { Id = callId, Type = type, Details = JsonSerializer.SerializeToElement(details, EngineJsonContext.Default.JsonObject) };
    }
}

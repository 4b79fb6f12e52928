using System.Text.Json.Nodes;

namespace AgentHost.Core.Tools.CodeInterpreter;

/// <summary>
/// <c>thread.run.step.delta</c> payloads for a code interpreter call (the spec's
/// RunStepDeltaStepDetailsToolCallsCodeObject): first the call with empty input, then the input, then outputs.
/// </summary>
internal static class CodeInterpreterDeltas
{
    public static JsonObject Start(string stepId, int index, string callId) => Step(stepId, new JsonObject
    {
        ["index"] = index,
        ["id"] = callId,
        ["type"] = "code_interpreter",
        ["code_interpreter"] = new JsonObject { ["input"] = string.Empty, ["outputs"] = new JsonArray() },
    });

    public static JsonObject Input(string stepId, int index, string code) =>
        Call(stepId, index, new JsonObject { ["input"] = code });

    public static JsonObject Logs(string stepId, int index, int outputIndex, string logs) =>
        Call(stepId, index, new JsonObject { ["outputs"] = new JsonArray(new JsonObject { ["index"] = outputIndex, ["type"] = "logs", ["logs"] = logs }) });

    public static JsonObject Image(string stepId, int index, int outputIndex, string fileId) =>
        Call(stepId, index, new JsonObject
        {
            ["outputs"] = new JsonArray(new JsonObject { ["index"] = outputIndex, ["type"] = "image", ["image"] = new JsonObject { ["file_id"] = fileId } }),
        });

    private static JsonObject Call(string stepId, int index, JsonObject codeInterpreter) =>
        Step(stepId, new JsonObject { ["index"] = index, ["type"] = "code_interpreter", ["code_interpreter"] = codeInterpreter });

    private static JsonObject Step(string stepId, JsonObject toolCall) => new()
    {
        ["id"] = stepId,
        ["object"] = "thread.run.step.delta",
        ["delta"] = new JsonObject { ["step_details"] = new JsonObject { ["type"] = "tool_calls", ["tool_calls"] = new JsonArray(toolCall) } },
    };
}

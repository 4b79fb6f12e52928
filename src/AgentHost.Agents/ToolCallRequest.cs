namespace AgentHost.Agents;

/// <summary>A function call the model made, as hooks and permission callbacks see it.</summary>
/// <param name="SessionId">The session (thread) the call belongs to.</param>
/// <param name="RunId">The turn's run.</param>
/// <param name="CallId">The model's id for the call.</param>
/// <param name="Name">The function's name.</param>
/// <param name="Arguments">The call's JSON arguments.</param>
public sealed record ToolCallRequest(string SessionId, string RunId, string CallId, string Name, string Arguments);

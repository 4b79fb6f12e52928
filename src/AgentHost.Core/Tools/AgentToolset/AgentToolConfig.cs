namespace AgentHost.Core.Tools.AgentToolset;

/// <summary>One tool of the toolset as its definition resolves it: whether the model is offered it, and its permission policy.</summary>
/// <param name="PermissionPolicy"><c>always_allow</c>, <c>always_ask</c> or <c>auto</c>; the front door's gate applies it.</param>
public sealed record AgentToolConfig(string Name, bool Enabled, string PermissionPolicy);

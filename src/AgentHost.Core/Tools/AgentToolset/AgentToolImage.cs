namespace AgentHost.Core.Tools.AgentToolset;

/// <summary>An image a call returned (a <c>read</c> of an image file), base64-encoded.</summary>
public sealed record AgentToolImage(string MediaType, string Data);

namespace AgentHost.Server.Http;

/// <summary>The OpenAI error body: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
internal sealed record ErrorEnvelope(ErrorBody Error);

internal sealed record ErrorBody(string Message, string Type, string? Param, string? Code);

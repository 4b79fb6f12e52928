namespace AgentHost.Testing;

/// <summary>One server-sent event; OpenAI sends data lines only, Anthropic names each event.</summary>
public sealed record SseEvent(string? Event, string Data);

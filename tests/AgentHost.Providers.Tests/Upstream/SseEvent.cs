namespace AgentHost.Providers.Tests.Upstream;

/// <summary>One server-sent event; OpenAI sends data lines only, Anthropic names each event.</summary>
internal sealed record SseEvent(string? Event, string Data);

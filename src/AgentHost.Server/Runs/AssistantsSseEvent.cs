namespace AgentHost.Server.Runs;

/// <summary>One server-sent event of the Assistants API: its name (<c>thread.run.completed</c>, …) and JSON data.</summary>
internal readonly record struct AssistantsSseEvent(string Name, string Data);

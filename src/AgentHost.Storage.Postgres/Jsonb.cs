namespace AgentHost.Storage.Postgres;

/// <summary>A command parameter holding JSON text, sent as <c>jsonb</c>.</summary>
internal readonly record struct Jsonb(string Text);

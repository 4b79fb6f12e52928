namespace AgentHost.Core.Files;

/// <summary>The answer to deleting a file: <c>{"object": "file", "deleted": true, "id"}</c>.</summary>
public sealed record FileDeletionStatus(string Id, bool Deleted, string Object = "file");

namespace AgentHost.Core.Domain;

/// <summary>What deleting an object returns, e.g. <c>{"id": "asst_…", "object": "assistant.deleted", "deleted": true}</c>.</summary>
public sealed record DeletionStatus(string Id, string Object, bool Deleted);

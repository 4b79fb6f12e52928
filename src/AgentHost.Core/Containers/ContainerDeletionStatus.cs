namespace AgentHost.Core.Containers;

/// <summary>The answer to deleting a container (<c>container.deleted</c>) or a container file (<c>container.file.deleted</c>).</summary>
public sealed record ContainerDeletionStatus(string Id, string Object, bool Deleted);

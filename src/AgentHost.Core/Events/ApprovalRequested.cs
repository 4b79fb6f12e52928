namespace AgentHost.Core.Events;

/// <summary>The run paused (<c>requires_action</c>) until every one of <paramref name="Pending"/> is decided.</summary>
public sealed record ApprovalRequested(IReadOnlyList<PendingDecision> Pending) : AgentEvent;

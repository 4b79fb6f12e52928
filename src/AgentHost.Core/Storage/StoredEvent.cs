namespace AgentHost.Core.Storage;

/// <summary>One streamed event of a background response, kept so a reader can resume after <see cref="SequenceNumber"/>.</summary>
/// <param name="Data">The event as its front door renders it.</param>
public sealed record StoredEvent(long SequenceNumber, string Data);

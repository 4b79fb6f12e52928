namespace AgentHost.Core.Events;

/// <summary>More text of a message's content part <paramref name="ContentIndex"/>; <paramref name="Offset"/> is where it starts in the part's text.</summary>
public sealed record TextDelta(string MessageId, int ContentIndex, int Offset, string Text) : AgentEvent;

namespace AgentHost.Core.Conversations;

/// <summary>A thread's turns from its first up to a tip, in order, and whether a later turn already continued the tip.</summary>
public sealed record MessageThreadChain(IReadOnlyList<MessageThreadTurn> Turns, bool TipContinued)
{
    public MessageThreadTurn First => Turns[0];

    public MessageThreadTurn Tip => Turns[^1];
}

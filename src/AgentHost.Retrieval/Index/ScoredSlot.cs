namespace AgentHost.Retrieval.Index;

internal readonly record struct ScoredSlot(int Slot, float Score);

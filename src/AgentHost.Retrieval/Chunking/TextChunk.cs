namespace AgentHost.Retrieval.Chunking;

/// <summary>A window of a file's text; <see cref="TokenCount"/> counts o200k tokens.</summary>
internal sealed record TextChunk(int Index, string Text, int TokenCount);

namespace AgentHost.Retrieval.Search;

/// <summary>Validated, non-negative hybrid weights with a positive sum.</summary>
internal readonly record struct FusionWeights(double Embedding, double Text);

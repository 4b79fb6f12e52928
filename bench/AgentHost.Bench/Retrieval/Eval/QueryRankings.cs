using AgentHost.Retrieval.Index;

namespace AgentHost.Bench.Retrieval.Eval;

/// <summary>
/// Both full rankings of one query over one store (every chunk's dense similarity and BM25 score, best first), and
/// the document each chunk slot belongs to: enough to score any fusion or re-scoring method without searching again.
/// </summary>
internal sealed record QueryRankings(string QueryId, ScoredSlot[] Dense, ScoredSlot[] Text, Func<int, string> DocumentOf);

/// <summary>The rankings of every judged query of one collection over the store built with one model.</summary>
internal sealed record StoreRankings(EvalCollection Collection, string Model, IReadOnlyList<QueryRankings> Queries);

using System.Text.Json;

namespace AgentHost.Bench.Retrieval.Eval;

/// <summary>
/// One collection of <c>../shared/retrieval-eval/</c>: <c>docs.jsonl</c>, <c>queries.jsonl</c> and graded
/// <c>qrels.tsv</c> (query, document, relevance ≥ 1). Only judged queries are kept.
/// </summary>
internal sealed record EvalCollection(
    string Name,
    IReadOnlyList<(string Id, string Text)> Documents,
    IReadOnlyList<(string Id, string Text)> Queries,
    IReadOnlyDictionary<string, Dictionary<string, int>> Judgements)
{
    /// <summary>Every collection folder under shared/retrieval-eval, by name.</summary>
    public static IReadOnlyList<EvalCollection> LoadAll(string? only, int queryLimit)
    {
        var root = Locate();
        return [.. Directory.GetDirectories(root).Order(StringComparer.Ordinal)
            .Where(d => File.Exists(Path.Combine(d, "qrels.tsv")))
            .Where(d => only is null || only.Split(',').Contains(Path.GetFileName(d)))
            .Select(d => Load(d, queryLimit))];
    }

    private static EvalCollection Load(string folder, int queryLimit)
    {
        var judgements = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(folder, "qrels.tsv")))
        {
            var parts = line.Split('\t');
            if (parts.Length >= 3 && int.TryParse(parts[2], out var grade) && grade > 0)
            {
                (judgements.TryGetValue(parts[0], out var set) ? set : judgements[parts[0]] = new(StringComparer.Ordinal))[parts[1]] = grade;
            }
        }

        var queries = ReadJsonLines(Path.Combine(folder, "queries.jsonl")).Where(q => judgements.ContainsKey(q.Id));
        return new EvalCollection(Path.GetFileName(folder), ReadJsonLines(Path.Combine(folder, "docs.jsonl")),
            [.. queryLimit > 0 ? queries.Take(queryLimit) : queries], judgements);
    }

    /// <summary>nDCG@10 with linear gain (the grade); <paramref name="ranked"/> holds document ids, best first, no repeats.</summary>
    public double NdcgAt10(string queryId, IReadOnlyList<string> ranked)
    {
        var grades = Judgements[queryId];
        double dcg = 0;
        for (var i = 0; i < Math.Min(10, ranked.Count); i++)
        {
            dcg += grades.GetValueOrDefault(ranked[i]) / Math.Log2(i + 2);
        }

        var ideal = grades.Values.OrderDescending().Take(10).Select((g, i) => g / Math.Log2(i + 2)).Sum();
        return ideal == 0 ? 0 : dcg / ideal;
    }

    /// <summary>Share of the judged documents found in the first 50 of <paramref name="ranked"/>.</summary>
    public double RecallAt50(string queryId, IReadOnlyList<string> ranked)
    {
        var grades = Judgements[queryId];
        return (double)ranked.Take(50).Count(grades.ContainsKey) / grades.Count;
    }

    private static List<(string Id, string Text)> ReadJsonLines(string path) =>
        [.. File.ReadLines(path).Where(l => l.Length > 0).Select(l =>
        {
            using var document = JsonDocument.Parse(l);
            return (document.RootElement.GetProperty("id").GetString()!, document.RootElement.GetProperty("text").GetString()!);
        })];

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "retrieval-eval");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return Directory.Exists("/work/shared/retrieval-eval")
            ? "/work/shared/retrieval-eval"
            : throw new DirectoryNotFoundException("Evaluation collections not found: expected shared/retrieval-eval beside the repository clone.");
    }
}

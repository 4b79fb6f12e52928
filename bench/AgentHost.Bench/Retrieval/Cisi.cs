using System.Text.Json;

namespace AgentHost.Bench.Retrieval;

/// <summary>The CISI collection from <c>../shared/retrieval-eval/cisi</c>: documents, judged queries, relevance.</summary>
internal sealed record Cisi(IReadOnlyList<(string Id, string Text)> Documents, IReadOnlyList<(string Id, string Text)> Queries, IReadOnlyDictionary<string, HashSet<string>> Relevant)
{
    public static Cisi Load()
    {
        var folder = Locate();
        var documents = ReadJsonLines(Path.Combine(folder, "docs.jsonl"));
        var queries = ReadJsonLines(Path.Combine(folder, "queries.jsonl"));
        var relevant = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(folder, "qrels.tsv")))
        {
            var parts = line.Split('\t');
            if (parts.Length >= 2)
            {
                (relevant.TryGetValue(parts[0], out var set) ? set : relevant[parts[0]] = new HashSet<string>(StringComparer.Ordinal)).Add(parts[1]);
            }
        }

        return new Cisi(documents, [.. queries.Where(q => relevant.ContainsKey(q.Id))], relevant);
    }

    /// <summary>nDCG@10 with binary relevance; <paramref name="ranked"/> holds document ids, best first, no repeats.</summary>
    public double NdcgAt10(string queryId, IReadOnlyList<string> ranked)
    {
        var relevant = Relevant[queryId];
        double dcg = 0, ideal = 0;
        for (var i = 0; i < 10; i++)
        {
            if (i < ranked.Count && relevant.Contains(ranked[i]))
            {
                dcg += 1 / Math.Log2(i + 2);
            }

            if (i < relevant.Count)
            {
                ideal += 1 / Math.Log2(i + 2);
            }
        }

        return ideal == 0 ? 0 : dcg / ideal;
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
            var candidate = Path.Combine(dir.FullName, "shared", "retrieval-eval", "cisi");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return Directory.Exists("/work/shared/retrieval-eval/cisi")
            ? "/work/shared/retrieval-eval/cisi"
            : throw new DirectoryNotFoundException("CISI not found: expected shared/retrieval-eval/cisi beside the repository clone.");
    }
}

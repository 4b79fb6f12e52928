using AgentHost.Retrieval.Index;
using AgentHost.Retrieval.Text;

namespace AgentHost.Bench.Retrieval;

/// <summary>
/// Synthetic chunks for the latency test: 150 words drawn from CISI's own word frequencies (so BM25 posting lists
/// have a realistic Zipf shape) and a random unit vector (dense cost does not depend on the values). Seeded.
/// </summary>
internal sealed class SyntheticCorpus
{
    private readonly string[] words;
    private readonly double[] cumulative;
    private readonly Random random = new(42);

    public SyntheticCorpus(Cisi cisi)
    {
        var counts = cisi.Documents.SelectMany(d => d.Text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .GroupBy(w => w, StringComparer.Ordinal).Select(g => (Word: g.Key, Count: g.Count())).OrderByDescending(p => p.Count).ToArray();
        words = [.. counts.Select(c => c.Word)];
        cumulative = new double[counts.Length];
        var total = 0.0;
        for (var i = 0; i < counts.Length; i++)
        {
            total += counts[i].Count;
            cumulative[i] = total;
        }
    }

    public IndexedChunk Next(int chunkIndex, int dimensions)
    {
        var text = string.Join(' ', Enumerable.Range(0, 150).Select(_ => Word()));
        var vector = new float[dimensions];
        var norm = 0.0;
        for (var i = 0; i < dimensions; i++)
        {
            // Box–Muller: Gaussian components make a uniformly random direction.
            vector[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
            norm += vector[i] * vector[i];
        }

        for (var i = 0; i < dimensions; i++)
        {
            vector[i] /= (float)Math.Sqrt(norm);
        }

        return new IndexedChunk(chunkIndex, text, TermAnalyzer.Terms(text).Count, vector);
    }

    private string Word()
    {
        var index = Array.BinarySearch(cumulative, random.NextDouble() * cumulative[^1]);
        return words[index < 0 ? ~index : index];
    }
}

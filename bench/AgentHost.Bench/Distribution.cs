namespace AgentHost.Bench;

/// <summary>Percentiles of a set of latencies in milliseconds.</summary>
internal sealed class Distribution
{
    private readonly double[] sorted;

    public Distribution(IEnumerable<double> milliseconds)
    {
        sorted = [.. milliseconds.Order()];
        if (sorted.Length == 0)
        {
            throw new ArgumentException("A distribution needs at least one sample.", nameof(milliseconds));
        }
    }

    public int Count => sorted.Length;

    public double Mean => sorted.Average();

    public double Max => sorted[^1];

    /// <summary>Nearest-rank percentile.</summary>
    public double Percentile(double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

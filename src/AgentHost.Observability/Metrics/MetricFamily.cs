using System.Collections.Concurrent;
using System.Text;

namespace AgentHost.Observability.Metrics;

/// <summary>A counter or histogram with labels, kept in memory for <c>/metrics</c>.</summary>
internal sealed class MetricFamily(string name, string type, string help, string[] labelNames, double[]? buckets = null)
{
    private readonly ConcurrentDictionary<string, Series> series = new(StringComparer.Ordinal);

    public string Name => name;

    public void Add(double value, params string[] labelValues) => Get(labelValues).Add(value);

    public void Observe(double value, params string[] labelValues) => Get(labelValues).Observe(value, buckets!);

    /// <summary>Writes the family; with <paramref name="project"/>, only the series whose first label (<c>project</c>) is it.</summary>
    public void Write(StringBuilder text, string? project = null)
    {
        PrometheusText.Header(text, name, type, help);
        foreach (var (_, entry) in series.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (project is not null && !string.Equals(entry.LabelValues[0], project, StringComparison.Ordinal))
            {
                continue;
            }

            var labels = labelNames.Zip(entry.LabelValues, (n, v) => new KeyValuePair<string, string>(n, v)).ToList();
            lock (entry)
            {
                if (buckets is null)
                {
                    PrometheusText.Sample(text, name, labels, entry.Sum);
                    continue;
                }

                for (var i = 0; i < buckets.Length; i++)
                {
                    PrometheusText.Sample(text, name + "_bucket", [.. labels, new("le", PrometheusText.Format(buckets[i]))], entry.Buckets[i]);
                }

                PrometheusText.Sample(text, name + "_bucket", [.. labels, new("le", "+Inf")], entry.Count);
                PrometheusText.Sample(text, name + "_sum", labels, entry.Sum);
                PrometheusText.Sample(text, name + "_count", labels, entry.Count);
            }
        }
    }

    private Series Get(string[] labelValues) =>
        series.GetOrAdd(string.Join('\u0001', labelValues), _ => new Series(labelValues, buckets?.Length ?? 0));

    private sealed class Series(string[] labelValues, int bucketCount)
    {
        public string[] LabelValues { get; } = labelValues;
        public double Sum { get; private set; }
        public long Count { get; private set; }
        public long[] Buckets { get; } = new long[bucketCount];

        public void Add(double value)
        {
            lock (this)
            {
                Sum += value;
            }
        }

        public void Observe(double value, double[] bounds)
        {
            lock (this)
            {
                Sum += value;
                Count++;
                for (var i = 0; i < bounds.Length; i++)
                {
                    if (value <= bounds[i])
                    {
                        Buckets[i]++;
                    }
                }
            }
        }
    }
}

namespace AgentHost.Retrieval.Index;

/// <summary>The chunk slots containing one term, with the term's frequency in each; append-only between compactions.</summary>
internal sealed class PostingList
{
    private int[] slots = new int[4];
    private int[] frequencies = new int[4];

    public int Count { get; private set; }

    /// <summary>Live chunks containing the term (dead slots stay listed until compaction).</summary>
    public int DocumentFrequency { get; set; }

    public ReadOnlySpan<int> Slots => slots.AsSpan(0, Count);

    public ReadOnlySpan<int> Frequencies => frequencies.AsSpan(0, Count);

    public void Clear() => (Count, DocumentFrequency) = (0, 0);

    public void Add(int slot, int frequency)
    {
        if (Count == slots.Length)
        {
            Array.Resize(ref slots, Count * 2);
            Array.Resize(ref frequencies, Count * 2);
        }

        slots[Count] = slot;
        frequencies[Count] = frequency;
        Count++;
        DocumentFrequency++;
    }
}

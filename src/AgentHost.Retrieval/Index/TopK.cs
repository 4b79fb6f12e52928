namespace AgentHost.Retrieval.Index;

/// <summary>Keeps the k best slots seen, in a min-heap so most candidates cost one comparison.</summary>
internal sealed class TopK(int k)
{
    private readonly PriorityQueue<int, float> heap = new(k + 1);

    public void Offer(int slot, float score)
    {
        if (heap.Count < k)
        {
            heap.Enqueue(slot, score);
        }
        else if (heap.TryPeek(out _, out var worst) && score > worst)
        {
            heap.EnqueueDequeue(slot, score);
        }
    }

    /// <summary>Best first.</summary>
    public ScoredSlot[] Drain()
    {
        var result = new ScoredSlot[heap.Count];
        for (var i = result.Length - 1; i >= 0; i--)
        {
            heap.TryDequeue(out var slot, out var score);
            result[i] = new ScoredSlot(slot, score);
        }

        return result;
    }
}

using AgentHost.Retrieval.Text;

namespace AgentHost.Retrieval.Index;

/// <summary>
/// One vector store in memory: unit vectors as int8 codes in one contiguous array (brute-force SIMD dot products) and a BM25
/// inverted index. Chunk text is not kept — the database returns it for the few hits. Removing a file leaves dead
/// slots that searches skip; they are compacted away once they outnumber the live ones. Readers share a lock;
/// a mutation takes it alone, briefly (embedding happens before).
/// </summary>
internal sealed partial class StoreIndex(string modelName, int dimensions)
{
    private readonly ReaderWriterLockSlim gate = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, FileEntry> files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> termIds = new(StringComparer.Ordinal);
    private readonly List<PostingList> postings = [];

    private sbyte[] codes = [];
    private float[] scales = [];
    private FileEntry?[] slotFiles = [];
    private int[] slotChunks = [];
    private int[] slotLengths = [];
    private int[][] slotTerms = [];
    private int[][] slotFrequencies = [];
    private int slotCount;
    private int liveCount;
    private long liveLength;
    private int nextOrdinal;

    public string ModelName { get; } = modelName;

    public int Dimensions { get; private set; } = dimensions;

    /// <summary>True when vectors of <paramref name="incoming"/> dimensions fit (0 = no vectors yet on either side).</summary>
    public bool TryAdoptDimensions(int incoming)
    {
        gate.EnterWriteLock();
        try
        {
            if (incoming == 0 || incoming == Dimensions)
            {
                return true;
            }

            if (Dimensions != 0 || liveCount != 0)
            {
                return false;
            }

            Dimensions = incoming;
            codes = new sbyte[slotFiles.Length * incoming];
            return true;
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    public bool HasFile(string fileId)
    {
        gate.EnterReadLock();
        try { return files.ContainsKey(fileId); }
        finally { gate.ExitReadLock(); }
    }

    public int LiveChunks
    {
        get
        {
            gate.EnterReadLock();
            try { return liveCount; }
            finally { gate.ExitReadLock(); }
        }
    }

    public int FileCount
    {
        get
        {
            gate.EnterReadLock();
            try { return files.Count; }
            finally { gate.ExitReadLock(); }
        }
    }

    /// <summary>Adds a file's chunks, replacing the chunks it had.</summary>
    public void AddFile(string fileId, string filename, IReadOnlyDictionary<string, object?> attributes, IReadOnlyList<IndexedChunk> chunks) =>
        AddFile(fileId, filename, attributes, chunks, [.. chunks.Select(c => Analyse(c.Text))]);

    private void AddFile(string fileId, string filename, IReadOnlyDictionary<string, object?> attributes, IReadOnlyList<IndexedChunk> chunks,
        (int Length, Dictionary<string, int> Counts)[] analysed)
    {
        gate.EnterWriteLock();
        try
        {
            RemoveLocked(fileId);
            var entry = new FileEntry(fileId, filename, attributes) { Ordinal = nextOrdinal++ };
            files[fileId] = entry;
            for (var i = 0; i < chunks.Count; i++)
            {
                AppendSlot(entry, chunks[i], analysed[i]);
            }
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    public bool RemoveFile(string fileId)
    {
        gate.EnterWriteLock();
        try
        {
            var removed = RemoveLocked(fileId);
            if (slotCount > 1024 && liveCount < slotCount / 2)
            {
                Compact();
            }

            return removed;
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    public bool UpdateAttributes(string fileId, IReadOnlyDictionary<string, object?> attributes)
    {
        gate.EnterWriteLock();
        try
        {
            if (!files.TryGetValue(fileId, out var entry))
            {
                return false;
            }

            entry.Attributes = attributes;
            return true;
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    private bool RemoveLocked(string fileId)
    {
        if (!files.Remove(fileId, out var entry))
        {
            return false;
        }

        foreach (var slot in entry.Slots)
        {
            foreach (var term in slotTerms[slot])
            {
                postings[term].DocumentFrequency--;
            }

            liveLength -= slotLengths[slot];
            liveCount--;
            slotFiles[slot] = null;
            slotTerms[slot] = [];
            slotFrequencies[slot] = [];
        }

        return true;
    }

    private void AppendSlot(FileEntry entry, IndexedChunk chunk, (int Length, Dictionary<string, int> Counts) analysed)
    {
        EnsureCapacity(slotCount + 1);
        var slot = slotCount++;
        scales[slot] = QuantizedVectors.Quantize(chunk.Vector, codes.AsSpan(slot * Dimensions, Dimensions));
        slotFiles[slot] = entry;
        slotChunks[slot] = chunk.ChunkIndex;
        slotLengths[slot] = analysed.Length;
        var terms = new int[analysed.Counts.Count];
        var frequencies = new int[terms.Length];
        var i = 0;
        foreach (var (term, count) in analysed.Counts)
        {
            if (!termIds.TryGetValue(term, out var id))
            {
                id = postings.Count;
                termIds[term] = id;
                postings.Add(new PostingList());
            }

            postings[id].Add(slot, count);
            (terms[i], frequencies[i]) = (id, count);
            i++;
        }

        slotTerms[slot] = terms;
        slotFrequencies[slot] = frequencies;
        entry.Slots.Add(slot);
        liveCount++;
        liveLength += analysed.Length;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= slotFiles.Length)
        {
            return;
        }

        var capacity = Math.Max(needed, Math.Max(16, slotFiles.Length * 2));
        Array.Resize(ref codes, capacity * Dimensions);
        Array.Resize(ref scales, capacity);
        Array.Resize(ref slotFiles, capacity);
        Array.Resize(ref slotChunks, capacity);
        Array.Resize(ref slotLengths, capacity);
        Array.Resize(ref slotTerms, capacity);
        Array.Resize(ref slotFrequencies, capacity);
    }

    /// <summary>Rewrites live slots densely and rebuilds the postings from the per-slot term lists.</summary>
    private void Compact()
    {
        var live = files.Values.OrderBy(f => f.Ordinal).ToArray();
        var (oldCodes, oldScales) = (codes, scales);
        var (oldChunks, oldLengths, oldTerms, oldFrequencies) = (slotChunks, slotLengths, slotTerms, slotFrequencies);
        (codes, scales) = ([], []);
        (slotFiles, slotChunks, slotLengths, slotTerms, slotFrequencies) = ([], [], [], [], []);
        slotCount = 0;
        nextOrdinal = 0;
        postings.ForEach(p => p.Clear());
        EnsureCapacity(liveCount);
        foreach (var entry in live)
        {
            entry.Ordinal = nextOrdinal++;
            var oldSlots = entry.Slots.ToArray();
            entry.Slots.Clear();
            foreach (var old in oldSlots)
            {
                var slot = slotCount++;
                oldCodes.AsSpan(old * Dimensions, Dimensions).CopyTo(codes.AsSpan(slot * Dimensions, Dimensions));
                scales[slot] = oldScales[old];
                (slotFiles[slot], slotChunks[slot], slotLengths[slot]) = (entry, oldChunks[old], oldLengths[old]);
                (slotTerms[slot], slotFrequencies[slot]) = (oldTerms[old], oldFrequencies[old]);
                for (var i = 0; i < oldTerms[old].Length; i++)
                {
                    postings[oldTerms[old][i]].Add(slot, oldFrequencies[old][i]);
                }

                entry.Slots.Add(slot);
            }
        }
    }

    internal static (int Length, Dictionary<string, int> Counts) Analyse(string text)
    {
        var terms = TermAnalyzer.Terms(text);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            counts[term] = counts.GetValueOrDefault(term) + 1;
        }

        return (terms.Count, counts);
    }
}

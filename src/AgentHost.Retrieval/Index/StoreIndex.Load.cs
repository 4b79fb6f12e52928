using System.Text;

namespace AgentHost.Retrieval.Index;

/// <summary>Loading from the stored int8 codes and term lists: no tokenising, no float vectors, one pass.</summary>
internal sealed partial class StoreIndex
{
    private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>? termLookup;

    /// <summary>Starts a file whose chunks follow through <see cref="AppendStored"/> or <see cref="AppendAnalysed"/>.</summary>
    public FileEntry BeginStoredFile(string fileId, string filename, IReadOnlyDictionary<string, object?> attributes)
    {
        gate.EnterWriteLock();
        try
        {
            RemoveLocked(fileId);
            var entry = new FileEntry(fileId, filename, attributes) { Ordinal = nextOrdinal++ };
            files[fileId] = entry;
            return entry;
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    /// <summary>Appends a chunk from its stored index row (<see cref="ChunkTerms"/> encoding).</summary>
    public void AppendStored(FileEntry entry, int chunkIndex, int termTotal, float scale, ReadOnlySpan<sbyte> storedCodes, ReadOnlySpan<byte> terms)
    {
        Span<char> chars = stackalloc char[256];
        gate.EnterWriteLock();
        try
        {
            EnsureCapacity(slotCount + 1);
            var slot = slotCount++;
            if (Dimensions > 0)
            {
                storedCodes[..Dimensions].CopyTo(codes.AsSpan(slot * Dimensions, Dimensions));
            }

            scales[slot] = scale;
            (slotFiles[slot], slotChunks[slot], slotLengths[slot]) = (entry, chunkIndex, termTotal);
            var ids = new List<int>(64);
            var frequencies = new List<int>(64);
            var lookup = termLookup ??= termIds.GetAlternateLookup<ReadOnlySpan<char>>();
            var offset = 0;
            while (ChunkTerms.Next(terms, ref offset, out var count, out var utf8))
            {
                var term = chars[..Encoding.UTF8.GetChars(utf8, chars)];
                if (!lookup.TryGetValue(term, out var id))
                {
                    id = postings.Count;
                    lookup[term] = id;
                    postings.Add(new PostingList());
                }

                postings[id].Add(slot, count);
                ids.Add(id);
                frequencies.Add(count);
            }

            (slotTerms[slot], slotFrequencies[slot]) = ([.. ids], [.. frequencies]);
            entry.Slots.Add(slot);
            liveCount++;
            liveLength += termTotal;
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    /// <summary>Appends a chunk stored before the index rows existed: its text is analysed here.</summary>
    public void AppendAnalysed(FileEntry entry, IndexedChunk chunk)
    {
        var analysed = Analyse(chunk.Text);
        gate.EnterWriteLock();
        try
        {
            AppendSlot(entry, chunk, analysed);
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }
}

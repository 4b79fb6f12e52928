using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace AgentHost.Retrieval.Embeddings;

/// <summary>
/// Runs a <see cref="LocalModel"/> with ONNX Runtime: WordPiece ids from the model's own vocabulary (BERT's basic
/// tokenisation, lower-cased, accents stripped), texts grouped into batches of similar length so that padding to a
/// batch's longest text wastes little, then pooled and L2-normalised. Thread-safe: ONNX Runtime sessions allow
/// concurrent runs.
/// </summary>
internal sealed class OnnxSentenceEncoder : IDisposable
{
    private readonly LocalModel model;
    private readonly InferenceSession session;
    private readonly BertTokenizer tokenizer;
    private readonly int maxBatch;
    private readonly int tokenBudget;
    private readonly bool hasTokenTypes;
    private readonly string outputName;

    /// <param name="maxBatch">Most texts per run.</param>
    /// <param name="tokenBudget">Most padded positions per run (texts × longest text), which bounds a run's memory and latency.</param>
    /// <param name="int8">Run the model's matrix products on int8 weights (<see cref="OnnxWeightQuantizer"/>).</param>
    public OnnxSentenceEncoder(LocalModel model, SessionOptions options, int maxBatch, int tokenBudget, bool int8)
        : this(model, Graph(model, int8), options, maxBatch, tokenBudget)
    {
    }

    /// <param name="graph">The model's ONNX graph as <see cref="Graph"/> gives it, shared by the model's sessions.</param>
    public OnnxSentenceEncoder(LocalModel model, byte[] graph, SessionOptions options, int maxBatch, int tokenBudget)
    {
        this.model = model;
        this.maxBatch = Math.Max(1, maxBatch);
        this.tokenBudget = Math.Max(model.MaxWordPieces, tokenBudget);
        using (var vocabulary = model.OpenResource("vocab.txt"))
        {
            tokenizer = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
        }

        session = new InferenceSession(graph, options);

        hasTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
        outputName = session.OutputMetadata.Keys.First();
    }

    /// <summary>The model's ONNX graph from its package, its weight products rewritten to int8 when <paramref name="int8"/>.</summary>
    public static byte[] Graph(LocalModel model, bool int8)
    {
        using var graph = model.OpenResource("model.onnx");
        using var bytes = new MemoryStream(checked((int)graph.Length));
        graph.CopyTo(bytes);
        var onnx = bytes.ToArray();
        return int8 ? OnnxWeightQuantizer.Quantize(onnx, out _) : onnx;
    }

    /// <summary>The model's WordPiece ids for a text, <c>[CLS]</c> and <c>[SEP]</c> included, cut to the model's window.</summary>
    public long[] Tokenize(string text)
    {
        var pieces = tokenizer.EncodeToIds(text, model.MaxWordPieces - 2, addSpecialTokens: false, out _, out _);
        var ids = new long[pieces.Count + 2];
        ids[0] = tokenizer.ClassificationTokenId;
        for (var i = 0; i < pieces.Count; i++)
        {
            ids[i + 1] = pieces[i];
        }

        ids[^1] = tokenizer.SeparatorTokenId;
        return ids;
    }

    public float[][] Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var ids = new long[texts.Count][];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = Tokenize(texts[i]);
        }

        return Encode(ids, cancellationToken);
    }

    /// <summary>Embeds tokenised texts, shortest first, in batches cut by <c>maxBatch</c> and the token budget.</summary>
    public float[][] Encode(IReadOnlyList<long[]> ids, CancellationToken cancellationToken)
    {
        var vectors = new float[ids.Count][];
        foreach (var (start, count, order) in Batches(ids))
        {
            RunBatch(ids, order.AsSpan(start, count), vectors, cancellationToken);
        }

        return vectors;
    }

    /// <summary>
    /// As <see cref="Encode(IReadOnlyList{long[]}, CancellationToken)"/>, each batch run while holding one of
    /// <paramref name="slots"/>, so that runs of every caller share the cores in turns, batch by batch.
    /// </summary>
    public async Task<float[][]> EncodeAsync(IReadOnlyList<long[]> ids, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        var vectors = new float[ids.Count][];
        foreach (var (start, count, order) in Batches(ids))
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                RunBatch(ids, order.AsSpan(start, count), vectors, cancellationToken);
            }
            finally
            {
                slots.Release();
            }
        }

        return vectors;
    }

    /// <summary>The texts' order by length, cut into runs of at most <c>maxBatch</c> texts and <c>tokenBudget</c> padded positions.</summary>
    private IEnumerable<(int Start, int Count, int[] Order)> Batches(IReadOnlyList<long[]> ids)
    {
        var order = Enumerable.Range(0, ids.Count).OrderBy(i => ids[i].Length).ToArray();
        var start = 0;
        while (start < order.Length)
        {
            var end = start + 1;
            while (end < order.Length && end - start < maxBatch && (end - start + 1) * ids[order[end]].Length <= tokenBudget)
            {
                end++;
            }

            yield return (start, end - start, order);
            start = end;
        }
    }

    private void RunBatch(IReadOnlyList<long[]> ids, ReadOnlySpan<int> batch, float[][] vectors, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var rows = batch.Length;
        var length = ids[batch[^1]].Length;
        var inputIds = new long[rows * length];
        var mask = new long[rows * length];
        for (var r = 0; r < rows; r++)
        {
            var row = ids[batch[r]];
            row.CopyTo(inputIds, r * length);
            mask.AsSpan(r * length, row.Length).Fill(1);
        }

        long[] shape = [rows, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = hasTokenTypes ? OrtValue.CreateTensorValueFromMemory(new long[rows * length], shape) : null;
        var names = hasTokenTypes ? new[] { "input_ids", "attention_mask", "token_type_ids" } : ["input_ids", "attention_mask"];
        var inputs = hasTokenTypes ? new[] { idsValue, maskValue, typesValue! } : [idsValue, maskValue];

        using var runOptions = new RunOptions();
        using var cancel = cancellationToken.Register(() => runOptions.Terminate = true);
        using var outputs = session.Run(runOptions, names, inputs, [outputName]);
        cancellationToken.ThrowIfCancellationRequested();
        var states = outputs[0].GetTensorDataAsSpan<float>();
        var dimensions = (int)outputs[0].GetTensorTypeAndShape().Shape[2];
        for (var r = 0; r < rows; r++)
        {
            vectors[batch[r]] = Pool(states.Slice(r * length * dimensions, length * dimensions), ids[batch[r]].Length, dimensions);
        }
    }

    private float[] Pool(ReadOnlySpan<float> tokenStates, int tokens, int dimensions)
    {
        var vector = new float[dimensions];
        if (model.Pooling == Pooling.Cls)
        {
            tokenStates[..dimensions].CopyTo(vector);
        }
        else
        {
            for (var t = 0; t < tokens; t++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(vector, tokenStates.Slice(t * dimensions, dimensions), vector);
            }

            System.Numerics.Tensors.TensorPrimitives.Divide(vector, tokens, vector);
        }

        return VectorMath.Normalized(vector);
    }

    /// <summary>Ends ONNX Runtime profiling, when the session options turned it on, and returns the trace file.</summary>
    public string EndProfiling() => session.EndProfiling();

    public void Dispose() => session.Dispose();
}

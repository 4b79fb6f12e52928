using System.Runtime.InteropServices;

namespace AgentHost.Retrieval.Embeddings;

/// <summary>
/// Rewrites an ONNX model so that every <c>MatMul</c> by a constant 2-D float weight becomes ONNX Runtime's
/// <c>com.microsoft.DynamicQuantizeMatMul</c> over int8 weights: each weight column is scaled symmetrically to
/// [-127, 127] once, here, and the activations are quantised to uint8 per run by the kernel (dynamic quantisation,
/// what ONNX Runtime's own Python quantiser produces; that tooling is not available to a .NET process). On CPUs
/// with int8 dot-product instructions (AVX-VNNI, AVX512-VNNI) these products run several times faster than float32.
/// A constant bias added to such a product alone (<c>Add(MatMul(x, W), b)</c>) moves into the kernel's bias input, which
/// applies it as the product is written, and its <c>Add</c> node goes. Everything else is copied byte for byte.
/// </summary>
internal static class OnnxWeightQuantizer
{
    // ModelProto, GraphProto, NodeProto, TensorProto and OperatorSetIdProto field numbers (onnx/onnx.proto).
    private const int ModelGraph = 7, ModelOpsetImport = 8;
    private const int GraphNode = 1, GraphInitializer = 5, GraphOutput = 12, ValueInfoName = 1;
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeDomain = 7;
    private const int TensorDims = 1, TensorDataType = 2, TensorFloatData = 4, TensorName = 8, TensorRawData = 9;
    private const int OpsetDomain = 1, OpsetVersion = 2;
    private const int FloatType = 1, Int8Type = 3;

    /// <summary>Weights smaller than this stay float (too small for int8 to pay off).</summary>
    private const int MinimumElements = 4096;

    public static byte[] Quantize(byte[] model, out int quantized) => Quantize(model, out quantized, out _);

    /// <param name="biasesFolded">How many bias <c>Add</c> nodes moved into the products.</param>
    public static byte[] Quantize(byte[] model, out int quantized, out int biasesFolded)
    {
        var modelFields = ProtoField.Parse(model);
        var graphIndex = modelFields.FindIndex(f => f.Number == ModelGraph);
        if (graphIndex < 0)
        {
            throw new InvalidDataException("The ONNX model has no graph.");
        }

        var graph = ProtoField.Parse(modelFields[graphIndex].Payload);
        var weights = graph.Where(f => f.Number == GraphInitializer).Select(f => ProtoField.Parse(f.Payload))
            .Select(t => (Name: Single(t, TensorName)?.AsString(), Fields: t))
            .Where(t => t.Name is not null && IsFloatMatrix(t.Fields))
            .ToDictionary(t => t.Name!, t => t.Fields, StringComparer.Ordinal);

        var nodes = graph.Where(f => f.Number == GraphNode).Select(f => ProtoField.Parse(f.Payload)).ToList();
        var uses = nodes.SelectMany(n => n.Where(f => f.Number == NodeInput).Select(f => f.AsString()))
            .GroupBy(n => n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var inputs = node.Where(f => f.Number == NodeInput).Select(f => f.AsString()).ToArray();
            if (Single(node, NodeOpType)?.AsString() == "MatMul" && string.IsNullOrEmpty(Single(node, NodeDomain)?.AsString())
                && inputs.Length == 2 && weights.ContainsKey(inputs[1]) && uses[inputs[1]] == 1)
            {
                targets.Add(inputs[1]);
            }
        }

        var biases = FoldableBiases(graph, nodes, targets);
        var foldedAdds = biases.Values.Select(b => b.AddOutput).ToHashSet(StringComparer.Ordinal);
        var rewritten = new List<ProtoField>(graph.Count + (targets.Count * 2));
        foreach (var field in graph)
        {
            var parsed = field.Number == GraphNode ? ProtoField.Parse(field.Payload) : null;
            if (parsed is not null && Rewrite(parsed, targets, biases) is { } node)
            {
                rewritten.Add(ProtoField.Message(GraphNode, node));
            }
            else if (parsed is not null && Single(parsed, NodeOpType)?.AsString() == "Add"
                && parsed.Where(f => f.Number == NodeOutput).Select(f => f.AsString()).SingleOrDefault() is { } output && foldedAdds.Contains(output))
            {
                // Its bias now goes in with the product that fed it.
            }
            else if (field.Number == GraphInitializer && Single(ProtoField.Parse(field.Payload), TensorName)?.AsString() is { } name && targets.Contains(name))
            {
                rewritten.AddRange(QuantizeWeight(name, weights[name]));
            }
            else
            {
                rewritten.Add(field);
            }
        }

        modelFields[graphIndex] = ProtoField.Message(ModelGraph, rewritten);
        if (!modelFields.Any(f => f.Number == ModelOpsetImport && Single(ProtoField.Parse(f.Payload), OpsetDomain)?.AsString() == "com.microsoft"))
        {
            modelFields.Insert(graphIndex + 1, ProtoField.Message(ModelOpsetImport, [ProtoField.Text(OpsetDomain, "com.microsoft"), ProtoField.Integer(OpsetVersion, 1)]));
        }

        quantized = targets.Count;
        biasesFolded = biases.Count;
        return ProtoField.Serialize(modelFields);
    }

    /// <summary>
    /// By the output of a product to be quantised: the bias of the one <c>Add</c> that alone reads it, when the other
    /// addend is a constant float vector as long as the product's rows, and that <c>Add</c>'s output.
    /// </summary>
    private static Dictionary<string, (string Bias, string AddOutput)> FoldableBiases(List<ProtoField> graph, List<List<ProtoField>> nodes, HashSet<string> targets)
    {
        var vectors = graph.Where(f => f.Number == GraphInitializer).Select(f => ProtoField.Parse(f.Payload))
            .Where(t => (long?)Single(t, TensorDataType)?.AsVarint() == FloatType && !t.Any(f => f.Number is 13 or 14))
            .Select(t => (Name: Single(t, TensorName)?.AsString(), Dims: t.Where(f => f.Number == TensorDims).SelectMany(f => f.AsVarints()).ToArray()))
            .Where(t => t.Name is not null && t.Dims.Length == 1)
            .ToDictionary(t => t.Name!, t => t.Dims[0], StringComparer.Ordinal);
        var graphOutputs = graph.Where(f => f.Number == GraphOutput).Select(f => Single(ProtoField.Parse(f.Payload), ValueInfoName)?.AsString())
            .ToHashSet(StringComparer.Ordinal);
        var readers = new Dictionary<string, List<List<ProtoField>>>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var input in node.Where(f => f.Number == NodeInput).Select(f => f.AsString()))
            {
                (readers.TryGetValue(input, out var list) ? list : readers[input] = []).Add(node);
            }
        }

        var folds = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            var inputs = node.Where(f => f.Number == NodeInput).Select(f => f.AsString()).ToArray();
            var outputs = node.Where(f => f.Number == NodeOutput).Select(f => f.AsString()).ToArray();
            if (Single(node, NodeOpType)?.AsString() != "MatMul" || inputs.Length != 2 || !targets.Contains(inputs[1]) || outputs.Length != 1
                || graphOutputs.Contains(outputs[0]) || !readers.TryGetValue(outputs[0], out var consumers) || consumers.Count != 1)
            {
                continue;
            }

            var add = consumers[0];
            var addInputs = add.Where(f => f.Number == NodeInput).Select(f => f.AsString()).ToArray();
            var addOutputs = add.Where(f => f.Number == NodeOutput).Select(f => f.AsString()).ToArray();
            var columns = ProtoField.Parse(graph.First(f => f.Number == GraphInitializer && Single(ProtoField.Parse(f.Payload), TensorName)?.AsString() == inputs[1]).Payload)
                .Where(f => f.Number == TensorDims).SelectMany(f => f.AsVarints()).Last();
            if (Single(add, NodeOpType)?.AsString() == "Add" && string.IsNullOrEmpty(Single(add, NodeDomain)?.AsString())
                && addInputs.Length == 2 && addOutputs.Length == 1 && addInputs.Count(i => i == outputs[0]) == 1
                && addInputs.Single(i => i != outputs[0]) is var bias && vectors.TryGetValue(bias, out var length) && length == columns)
            {
                folds[outputs[0]] = (bias, addOutputs[0]);
            }
        }

        return folds;
    }

    private static List<ProtoField>? Rewrite(List<ProtoField> node, HashSet<string> targets, Dictionary<string, (string Bias, string AddOutput)> biases)
    {
        var inputs = node.Where(f => f.Number == NodeInput).Select(f => f.AsString()).ToArray();
        if (Single(node, NodeOpType)?.AsString() != "MatMul" || inputs.Length != 2 || !targets.Contains(inputs[1]))
        {
            return null;
        }

        List<ProtoField> result =
        [
            ProtoField.Text(NodeInput, inputs[0]),
            ProtoField.Text(NodeInput, inputs[1] + "_int8"),
            ProtoField.Text(NodeInput, inputs[1] + "_scale"),
        ];
        var output = node.Single(f => f.Number == NodeOutput);
        if (biases.TryGetValue(output.AsString(), out var fold))
        {
            // No zero point (symmetric weights), then the bias; the product writes what the Add wrote.
            result.Add(ProtoField.Text(NodeInput, string.Empty));
            result.Add(ProtoField.Text(NodeInput, fold.Bias));
            result.Add(ProtoField.Text(NodeOutput, fold.AddOutput));
        }
        else
        {
            result.Add(output);
        }

        result.AddRange(node.Where(f => f.Number == NodeName));
        result.Add(ProtoField.Text(NodeOpType, "DynamicQuantizeMatMul"));
        result.Add(ProtoField.Text(NodeDomain, "com.microsoft"));
        return result;
    }

    /// <summary>The int8 weight [K, N] and its per-column scale [N]: column n is divided by max |w[·, n]| / 127.</summary>
    private static ProtoField[] QuantizeWeight(string name, List<ProtoField> tensor)
    {
        var dims = tensor.Where(f => f.Number == TensorDims).SelectMany(f => f.AsVarints()).ToArray();
        var (rows, columns) = ((int)dims[0], (int)dims[1]);
        var values = FloatValues(tensor);
        var scales = new float[columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                scales[c] = Math.Max(scales[c], Math.Abs(values[(r * columns) + c]));
            }
        }

        for (var c = 0; c < columns; c++)
        {
            scales[c] = scales[c] > 0 ? scales[c] / 127f : 1f;
        }

        var codes = new byte[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            codes[i] = unchecked((byte)(sbyte)Math.Clamp(MathF.Round(values[i] / scales[i % columns]), -127, 127));
        }

        return
        [
            Tensor(name + "_int8", [rows, columns], Int8Type, codes),
            Tensor(name + "_scale", [columns], FloatType, MemoryMarshal.AsBytes(scales.AsSpan()).ToArray()),
        ];
    }

    private static ProtoField Tensor(string name, long[] dims, int type, byte[] raw) => ProtoField.Message(GraphInitializer,
    [
        .. dims.Select(d => ProtoField.Integer(TensorDims, d)),
        ProtoField.Integer(TensorDataType, type),
        ProtoField.Text(TensorName, name),
        ProtoField.Bytes(TensorRawData, raw),
    ]);

    private static bool IsFloatMatrix(List<ProtoField> tensor)
    {
        var dims = tensor.Where(f => f.Number == TensorDims).SelectMany(f => f.AsVarints()).ToArray();
        return (long?)Single(tensor, TensorDataType)?.AsVarint() == FloatType && dims.Length == 2 && dims[0] * dims[1] >= MinimumElements
            && !tensor.Any(f => f.Number is 13 or 14); // external data is not supported
    }

    private static float[] FloatValues(List<ProtoField> tensor)
    {
        var raw = Single(tensor, TensorRawData) ?? Single(tensor, TensorFloatData)
            ?? throw new InvalidDataException("A float weight has neither raw_data nor float_data.");
        return MemoryMarshal.Cast<byte, float>(raw.Payload.Span).ToArray();
    }

    private static ProtoField? Single(List<ProtoField> fields, int number)
    {
        foreach (var field in fields)
        {
            if (field.Number == number)
            {
                return field;
            }
        }

        return null;
    }
}

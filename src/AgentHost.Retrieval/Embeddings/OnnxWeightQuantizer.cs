using System.Runtime.InteropServices;

namespace AgentHost.Retrieval.Embeddings;

/// <summary>
/// Rewrites an ONNX model so that every <c>MatMul</c> by a constant 2-D float weight becomes ONNX Runtime's
/// <c>com.microsoft.DynamicQuantizeMatMul</c> over int8 weights: each weight column is scaled symmetrically to
/// [-127, 127] once, here, and the activations are quantised to uint8 per run by the kernel (dynamic quantisation,
/// what ONNX Runtime's own Python quantiser produces; that tooling is not available to a .NET process). On CPUs
/// with int8 dot-product instructions (AVX-VNNI, AVX512-VNNI) these products run several times faster than float32.
/// Everything else in the model is copied byte for byte.
/// </summary>
internal static class OnnxWeightQuantizer
{
    // ModelProto, GraphProto, NodeProto, TensorProto and OperatorSetIdProto field numbers (onnx/onnx.proto).
    private const int ModelGraph = 7, ModelOpsetImport = 8;
    private const int GraphNode = 1, GraphInitializer = 5;
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeDomain = 7;
    private const int TensorDims = 1, TensorDataType = 2, TensorFloatData = 4, TensorName = 8, TensorRawData = 9;
    private const int OpsetDomain = 1, OpsetVersion = 2;
    private const int FloatType = 1, Int8Type = 3;

    /// <summary>Weights smaller than this stay float (too small for int8 to pay off).</summary>
    private const int MinimumElements = 4096;

    public static byte[] Quantize(byte[] model, out int quantized)
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

        var rewritten = new List<ProtoField>(graph.Count + (targets.Count * 2));
        foreach (var field in graph)
        {
            if (field.Number == GraphNode && Rewrite(ProtoField.Parse(field.Payload), targets) is { } node)
            {
                rewritten.Add(ProtoField.Message(GraphNode, node));
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
        return ProtoField.Serialize(modelFields);
    }

    private static List<ProtoField>? Rewrite(List<ProtoField> node, HashSet<string> targets)
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
        result.AddRange(node.Where(f => f.Number == NodeOutput));
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

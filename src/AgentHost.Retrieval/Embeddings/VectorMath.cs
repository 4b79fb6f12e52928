using System.Numerics.Tensors;

namespace AgentHost.Retrieval.Embeddings;

internal static class VectorMath
{
    /// <summary>A unit-length copy, so cosine similarity is a dot product.</summary>
    public static float[] Normalized(ReadOnlySpan<float> vector)
    {
        var copy = vector.ToArray();
        var norm = TensorPrimitives.Norm(copy);
        if (norm > 0)
        {
            TensorPrimitives.Divide(copy, norm, copy);
        }

        return copy;
    }
}

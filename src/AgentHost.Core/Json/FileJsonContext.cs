using System.Text.Json;
using System.Text.Json.Serialization;
using AgentHost.Core.Files;
using AgentHost.Core.VectorStores;

namespace AgentHost.Core.Json;

/// <summary>Source-generated snake_case JSON for files, uploads and vector stores.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(StoredFile))]
[JsonSerializable(typeof(FileDeletionStatus))]
[JsonSerializable(typeof(Upload))]
[JsonSerializable(typeof(UploadPart))]
[JsonSerializable(typeof(VectorStore))]
[JsonSerializable(typeof(VectorStoreFile))]
[JsonSerializable(typeof(VectorStoreFileBatch))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, JsonElement>))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class FileJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;
using AgentHost.Core.Domain;

namespace AgentHost.Server.Http;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
[JsonSerializable(typeof(ListResponse<Assistant>))]
[JsonSerializable(typeof(ListResponse<ThreadMessage>))]
[JsonSerializable(typeof(ListResponse<ThreadRun>))]
[JsonSerializable(typeof(ListResponse<RunStep>))]
[JsonSerializable(typeof(ListResponse<AgentHost.Core.Files.StoredFile>))]
[JsonSerializable(typeof(ListResponse<AgentHost.Core.VectorStores.VectorStore>))]
[JsonSerializable(typeof(ListResponse<AgentHost.Core.VectorStores.VectorStoreFile>))]
[JsonSerializable(typeof(ListResponse<AgentHost.Core.Containers.Container>))]
[JsonSerializable(typeof(ListResponse<AgentHost.Core.Containers.ContainerFile>))]
[JsonSerializable(typeof(VectorStores.SearchResultsPage))]
[JsonSerializable(typeof(VectorStores.VectorStoreFileContent))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;

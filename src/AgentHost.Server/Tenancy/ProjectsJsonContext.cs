using System.Text.Json.Serialization;
using AgentHost.Server.Http;

namespace AgentHost.Server.Tenancy;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ProjectView))]
[JsonSerializable(typeof(ListResponse<ProjectView>))]
[JsonSerializable(typeof(ServiceAccountCreated))]
[JsonSerializable(typeof(ProjectKeyView))]
[JsonSerializable(typeof(ListResponse<ProjectKeyView>))]
[JsonSerializable(typeof(ProjectKeyDeleted))]
[JsonSerializable(typeof(ProjectRateLimitView))]
[JsonSerializable(typeof(ListResponse<ProjectRateLimitView>))]
internal sealed partial class ProjectsJsonContext : JsonSerializerContext;

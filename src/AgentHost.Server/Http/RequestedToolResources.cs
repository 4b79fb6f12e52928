using AgentHost.Core.Domain;
using AgentHost.Server.VectorStores;

namespace AgentHost.Server.Http;

/// <summary>A <c>tool_resources</c> field as requested: the resources, plus the store to create when the helper form was used.</summary>
internal sealed record RequestedToolResources(ToolResources Resources, NewToolVectorStore? NewVectorStore);

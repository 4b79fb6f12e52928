using System.ClientModel;
using OpenAI.Files;
using OpenAI.VectorStores;

namespace AgentHost.Server.Tests.Support;

/// <summary>The official SDK's file and vector store clients pointed at a test server.</summary>
internal static class FileSearchClients
{
    public static OpenAIFileClient Files(this AgentHostServer server) =>
        new(new ApiKeyCredential("any"), new OpenAI.OpenAIClientOptions { Endpoint = server.BaseUri, NetworkTimeout = Timeout });

    public static VectorStoreClient VectorStores(this AgentHostServer server) =>
        new(new ApiKeyCredential("any"), new VectorStoreClientOptions { Endpoint = server.BaseUri, NetworkTimeout = Timeout });

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
}

using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;

namespace AgentHost.Server.Tests.Responses;

/// <summary>Nodes sharing a PostgreSQL database must share the reasoning key; a node with another one refuses to start.</summary>
public sealed class ReasoningKeyCheckTests
{
    [RequiresFact("postgres")]
    public async Task ANodeWithAnotherReasoningKey_RefusesToStart_SayingHowToFixIt_AndTheSameKeyStarts()
    {
        var (connectionString, drop) = await TestStore.CreatePostgresSchemaAsync();
        var first = Directory.CreateTempSubdirectory("agenthost-key-a-").FullName;
        var second = Directory.CreateTempSubdirectory("agenthost-key-b-").FullName;
        Dictionary<string, string?> Node(string dataDir) => new() { ["ConnectionStrings:Postgres"] = connectionString, ["AgentHost:DataDir"] = dataDir };
        try
        {
            await using (await AgentHostServer.StartAsync(settings: Node(first)))
            {
                var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => AgentHostServer.StartAsync(settings: Node(second)));
                Assert.Contains("Set AgentHost:ReasoningKey to the same value on every node, or copy the first node's reasoning.key", refused.Message, StringComparison.Ordinal);

                File.Copy(Path.Combine(first, "reasoning.key"), Path.Combine(second, "reasoning.key"), overwrite: true);
                await using var sameKey = await AgentHostServer.StartAsync(settings: Node(second));
                Assert.NotNull(sameKey.BaseUri);
            }
        }
        finally
        {
            await drop();
            Directory.Delete(first, recursive: true);
            Directory.Delete(second, recursive: true);
        }
    }
}

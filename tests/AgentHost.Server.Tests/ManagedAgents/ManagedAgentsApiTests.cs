using System.Text.Json.Nodes;
using AgentHost.Core.Containers;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Server.Tests.ManagedAgents;

/// <summary>
/// The Managed Agents resources driven by the pinned Anthropic SDK: agents with versions and archive, environments that
/// are the sandbox (refusing network and packages the host lacks, naming the setting), sessions with a file resource in
/// their own workspace, and the features AgentHost lacks refused in Anthropic's error envelope.
/// </summary>
public sealed class ManagedAgentsApiTests
{
    [RequiresFact("node:anthropic-sdk")]
    public async Task Sdk_ManagesAgentsEnvironmentsAndSessions_AndIsRefusedWhatAgentHostLacks()
    {
        var toolset = new ScriptedToolset();
        await using var server = await AgentHostServer.StartAsync(builder => builder.Services.AddSingleton<Core.Tools.IToolSource>(toolset));
        var fileId = await ManagedAgentsSdk.UploadAsync(server, "notes.txt", "remember the milk");

        var result = await ManagedAgentsSdk.RunAsync(server, "api", new JsonObject { ["model"] = CompatClients.Claude, ["fileId"] = fileId });

        // Agents: an update that changes something is a new version; one that changes nothing is not; v1 stays readable.
        var agent = result["agent"]!;
        Assert.StartsWith("agent_", agent["id"]!.GetValue<string>());
        Assert.Equal(1, agent["version"]!.GetValue<int>());
        Assert.Equal(CompatClients.Claude, agent["model"]!["id"]!.GetValue<string>());
        Assert.Equal("always_ask", agent["tools"]![0]!["configs"]![0]!["permission_policy"]!["type"]!.GetValue<string>());
        Assert.Equal("always_allow", agent["tools"]![0]!["default_config"]!["permission_policy"]!["type"]!.GetValue<string>());
        Assert.Equal("service_account", agent["execution_identity"]!["type"]!.GetValue<string>());
        Assert.Equal(2, result["updated"]!["version"]!.GetValue<int>());
        Assert.Equal("""{"lang":"c#"}""", result["updated"]!["metadata"]!.ToJsonString());
        Assert.Equal(2, result["unchanged"]!["version"]!.GetValue<int>());
        Assert.Equal("You write code.", result["first"]!["system"]!.GetValue<string>());
        Assert.Equal([2, 1], result["versions"]!.AsArray().Select(v => v!.GetValue<int>()));
        AssertError(result["stale"], 409, "invalid_request_error", "version 2");
        AssertError(result["auto"], 400, "invalid_request_error", "auto");
        AssertError(result["multiagent"], 400, "invalid_request_error", "multi-agent");
        AssertError(result["unknownModel"], 400, "invalid_request_error", "model");

        // Environments: the sandbox, with no network; settings it cannot honour are refused by name.
        var environment = result["environment"]!;
        Assert.Equal("limited", environment["config"]!["networking"]!["type"]!.GetValue<string>());
        Assert.Empty(environment["config"]!["networking"]!["allowed_hosts"]!.AsArray());
        Assert.Equal("sandbox-2", result["renamed"]!["name"]!.GetValue<string>());
        Assert.Equal(["bash"], result["renamed"]!["config"]!["packages"]!["apt"]!.AsArray().Select(p => p!.GetValue<string>()));
        AssertError(result["limited"], 400, "invalid_request_error", "config.networking.allowed_hosts");
        Assert.Contains("proxy", result["limited"]!["message"]!.GetValue<string>());
        AssertError(result["unrestricted"], 400, "invalid_request_error", "config.networking");
        AssertError(result["missingPackage"], 400, "invalid_request_error", "agenthost-no-such-package");
        AssertError(result["npmPackage"], 400, "invalid_request_error", "config.packages.npm");
        Assert.Contains(environment["id"]!.GetValue<string>(), result["environmentList"]!.AsArray().Select(e => e!.GetValue<string>()));

        // Sessions: the agent's snapshot, a workspace container holding the file resource, a budget.
        var session = result["session"]!;
        var sessionId = session["id"]!.GetValue<string>();
        Assert.StartsWith("sesn_", sessionId);
        Assert.Equal("idle", session["status"]!.GetValue<string>());
        Assert.Equal(2, session["agent"]!["version"]!.GetValue<int>());
        Assert.Equal("2500", session["budget"]!["max_list_cost"]!["amount"]!.GetValue<string>());
        var resource = Assert.Single(result["resources"]!.AsArray())!;
        Assert.Equal(fileId, resource["file_id"]!.GetValue<string>());
        Assert.Equal("/mnt/data/notes.txt", resource["mount_path"]!.GetValue<string>());
        Assert.Null(resource["container_file_id"]);
        Assert.Equal(1, result["pinned"]!["agent"]!["version"]!.GetValue<int>());
        Assert.Equal("Overridden.", result["overridden"]!["agent"]!["system"]!.GetValue<string>());
        Assert.Equal("Renamed", result["retitled"]!["title"]!.GetValue<string>());
        Assert.Equal("""{"j":"w"}""", result["retitled"]!["metadata"]!.ToJsonString());
        AssertError(result["memory"], 400, "invalid_request_error", "memory stores");
        AssertError(result["vaults"], 400, "invalid_request_error", "vaults");
        AssertError(result["missingFile"], 404, "not_found_error", "file-missing");
        AssertError(result["missingSession"], 404, "not_found_error", "sesn_missing");
        Assert.Equal("session_not_found", result["missingSession"]!["code"]!.GetValue<string>());
        AssertError(result["outcome"], 400, "invalid_request_error", "outcomes");
        AssertError(result["noPending"], 400, "invalid_request_error", "not waiting");
        Assert.Equal(3, result["sessionList"]!.AsArray().Count);

        AssertError(result["archivedEnvironment"], 400, "invalid_request_error", "archived");
        Assert.Equal("environment_archived", result["archivedEnvironment"]!["code"]!.GetValue<string>());
        Assert.Equal("environment_deleted", result["deletedEnvironment"]!["type"]!.GetValue<string>());
        Assert.DoesNotContain(agent["id"]!.GetValue<string>(), result["listedAfterArchive"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Contains(agent["id"]!.GetValue<string>(), result["listedWithArchived"]!.AsArray().Select(a => a!.GetValue<string>()));
        AssertError(result["archivedAgent"], 400, "invalid_request_error", "archived");
        Assert.Equal("session_deleted", result["deleted"]!["type"]!.GetValue<string>());
        Assert.Equal(400, result["noBeta"]!["status"]!.GetValue<int>());
        Assert.Contains("managed-agents-2026-04-01", result["noBeta"]!["body"]!["error"]!["message"]!.GetValue<string>());

        // The workspace is a container holding the file, where the agent toolset works.
        var containers = server.Services.GetRequiredService<ContainerService>();
        var listed = await containers.ListAsync(null, new Core.Storage.ListQuery { Limit = 100 }, CancellationToken.None);
        var workspace = Assert.Single(listed.Data, c => c.Name == $"session {sessionId}");
        var files = await containers.ListFilesAsync(workspace.Id, new Core.Storage.ListQuery { Limit = 10 }, CancellationToken.None);
        Assert.Equal(["/mnt/data/notes.txt"], files.Data.Select(f => f.Path));
    }

    internal static void AssertError(JsonNode? error, int status, string type, string mentions)
    {
        Assert.NotNull(error);
        Assert.Equal(status, error["status"]!.GetValue<int>());
        Assert.Equal(type, error["type"]!.GetValue<string>());
        Assert.Contains(mentions, error["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }
}

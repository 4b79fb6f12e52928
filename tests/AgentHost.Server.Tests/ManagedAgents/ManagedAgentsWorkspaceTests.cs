using System.Text.Json.Nodes;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing;
using AgentHost.Testing.Requirements;
using Microsoft.AspNetCore.Builder;

namespace AgentHost.Server.Tests.ManagedAgents;

/// <summary>
/// The whole path with the real agent toolset, driven by the pinned Anthropic SDK: an agent with the toolset in an
/// environment, a session with a file resource, a turn that writes, edits and reads files with bash and the file tools in
/// the session's sandboxed workspace (the shell keeping its state between calls), and an interrupt that kills a long
/// bash command.
/// </summary>
public sealed class ManagedAgentsWorkspaceTests
{
    private static readonly Dictionary<string, string?> Settings = new() { ["AgentHost:Sandbox:PrewarmSession"] = "false", ["AgentHost:Sandbox:Preload"] = "" };

    [RequiresFact("bwrap", "node:anthropic-sdk")]
    public async Task Session_WritesEditsAndReadsFilesInItsWorkspace_AndAnInterruptKillsALongCommand()
    {
        await using var signal = await LoopbackServer.StartAsync(app => app.MapGet("/sleeping", async () =>
        {
            await Eventually.TrueAsync(() => Sleeping(), "the long bash command to run in the sandbox", TimeSpan.FromSeconds(60));
            return "sleeping";
        }));
        await using var server = await AgentHostServer.StartAsync(settings: Settings);
        var fileId = await ManagedAgentsSdk.UploadAsync(server, "notes.txt", "milk\neggs\n");
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("t_write", "write", """{"file_path":"/mnt/data/list.md","content":"# List\n- milk\n"}""")),
            ScriptedTurn.Call(("t_edit", "edit", """{"file_path":"list.md","old_string":"- milk","new_string":"- milk\n- eggs"}""")),
            ScriptedTurn.Call(("t_bash", "bash", """{"command":"cd /mnt/data && export COUNT=$(wc -l < notes.txt) && grep -c '^- ' list.md"}""")),
            ScriptedTurn.Call(("t_again", "bash", """{"command":"echo \"$COUNT items in $(pwd)\""}""")),
            ScriptedTurn.Call(("t_read", "read", """{"file_path":"/mnt/data/list.md","view_range":[2,3]}""")),
            ScriptedTurn.Say("Your list has milk and eggs."),
            ScriptedTurn.Call(("t_sleep", "bash", """{"command":"sleep 97"}""")),
            ScriptedTurn.Say("Stopped."));

        var result = await ManagedAgentsSdk.RunAsync(server, "workspace", new JsonObject
        {
            ["model"] = CompatClients.Claude, ["fileId"] = fileId, ["signal"] = signal.Origin + "/sleeping",
        });

        var work = result["work"]!.AsArray();
        var outputs = work.Where(e => e!["type"]!.GetValue<string>() == "agent.tool_result")
            .Select(e => e!["content"]![0]!["text"]!.GetValue<string>()).ToList();
        Assert.True(outputs.Count == 5, result.ToJsonString());
        Assert.All(work.Where(e => e!["type"]!.GetValue<string>() == "agent.tool_result"), e => Assert.False(e!["is_error"]!.GetValue<bool>()));
        Assert.Equal("2\n", outputs[2]);
        Assert.Equal("2 items in /mnt/data\n", outputs[3]);
        Assert.Equal("     2\t- milk\n     3\t- eggs\n", outputs[4]);
        Assert.Equal("end_turn", work[^1]!["stop"]!.GetValue<string>());

        var interrupted = result["long"]!.AsArray();
        Assert.Contains("user.interrupt", ManagedAgentsSdk.Types(interrupted));
        Assert.DoesNotContain("agent.tool_result", ManagedAgentsSdk.Types(interrupted));
        Assert.Equal("end_turn", interrupted[^1]!["stop"]!.GetValue<string>());
        await Eventually.TrueAsync(() => !Sleeping(), "the interrupted bash command to be killed", TimeSpan.FromSeconds(30));
        Assert.Equal("idle", result["session"]!["status"]!.GetValue<string>());
    }

    /// <summary>True while the sandbox runs <c>sleep 97</c> (the host sees sandboxed processes).</summary>
    private static bool Sleeping()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")) == "sleep\097\0" && !File.ReadAllText(Path.Combine(dir, "stat")).Split(") ")[^1].StartsWith('Z'))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was read, or is not ours to read.
            }
        }

        return false;
    }
}

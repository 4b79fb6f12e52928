using System.Runtime.Versioning;
using AgentHost.Core.Errors;
using AgentHost.Core.Tools;
using AgentHost.Core.Tools.AgentToolset;

namespace AgentHost.Core.Tests.Tools.AgentToolset;

/// <summary>The toolset's definition: which tools are offered, their policies, and a 400 naming the field for a bad config.</summary>
[SupportedOSPlatform("linux")]
public sealed class AgentToolsetConfigTests
{
    [Fact]
    public void ByDefault_EveryToolIsEnabled_AndAlwaysAllowed()
    {
        var config = AgentToolsetConfig.Read(WorkspaceHarness.Definition("cntr_1"), "tools[0]");

        Assert.Equal(AgentToolNames.All, config.Enabled.Select(t => t.Name));
        Assert.All(config.Tools, t => Assert.Equal(AgentToolsetConfig.AlwaysAllow, t.PermissionPolicy));
        Assert.Equal("cntr_1", config.ContainerId);
    }

    [Fact]
    public void Configs_OverrideTheDefault_ForTheirTool()
    {
        var config = AgentToolsetConfig.Read(WorkspaceHarness.Definition(null, """
            {"default_config": {"enabled": false, "permission_policy": {"type": "always_ask"}},
             "configs": [{"name": "bash", "enabled": true}, {"name": "read", "type": "read", "enabled": true, "permission_policy": {"type": "always_allow"}},
                         {"name": "web_fetch", "enabled": false, "allowed_domains": ["docs.example.com"], "max_content_tokens": 1000}]}
            """), "tools[0]");

        Assert.Equal([AgentToolNames.Bash, AgentToolNames.Read], config.Enabled.Select(t => t.Name));
        Assert.Equal(AgentToolsetConfig.AlwaysAsk, config.Tool(AgentToolNames.Bash)!.PermissionPolicy);
        Assert.Equal(AgentToolsetConfig.AlwaysAllow, config.Tool(AgentToolNames.Read)!.PermissionPolicy);
        Assert.False(config.Tool(AgentToolNames.Write)!.Enabled);
        Assert.Null(config.ContainerId);
    }

    [Theory]
    [InlineData("""{"configs": [{"name": "shell"}]}""", "tools[2].configs[0].name")]
    [InlineData("""{"configs": [{"enabled": true}]}""", "tools[2].configs[0].name")]
    [InlineData("""{"configs": [{"name": "bash"}, {"name": "bash"}]}""", "tools[2].configs[1].name")]
    [InlineData("""{"configs": [{"name": "bash", "type": "read"}]}""", "tools[2].configs[0].type")]
    [InlineData("""{"configs": [{"name": "bash", "allowed_domains": ["a.com"]}]}""", "tools[2].configs[0].allowed_domains")]
    [InlineData("""{"configs": [{"name": "web_fetch", "allowed_domains": []}]}""", "tools[2].configs[0].allowed_domains")]
    [InlineData("""{"configs": [{"name": "web_search", "allowed_domains": ["a.com"], "blocked_domains": ["b.com"]}]}""", "tools[2].configs[0].blocked_domains")]
    [InlineData("""{"configs": [{"name": "grep", "enabled": "yes"}]}""", "tools[2].configs[0].enabled")]
    [InlineData("""{"configs": [{"name": "grep", "permission_policy": {"type": "sometimes"}}]}""", "tools[2].configs[0].permission_policy")]
    [InlineData("""{"configs": {"name": "grep"}}""", "tools[2].configs")]
    [InlineData("""{"default_config": {"permission_policy": "always_ask"}}""", "tools[2].default_config.permission_policy")]
    [InlineData("""{"default_config": {"enabled": true, "color": "red"}}""", "tools[2].default_config.color")]
    [InlineData("""{"default_config": []}""", "tools[2].default_config")]
    [InlineData("""{"skills": []}""", "tools[2].skills")]
    [InlineData("""{"container_id": 7}""", "tools[2].container_id")]
    public async Task Validate_ABadConfig_Is400NamingTheField(string settings, string param)
    {
        await using var harness = new WorkspaceHarness();

        var error = Assert.Throws<ApiException>(() => harness.Source.Validate(WorkspaceHarness.Definition(null, settings), "tools[2]"));

        Assert.Equal(ApiErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(param, error.Param);
        Assert.Contains(param, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Declare_OffersTheEnabledTools_WithTheSdkInputSchemas()
    {
        await using var harness = new WorkspaceHarness();
        var definition = WorkspaceHarness.Definition("cntr_1", """{"configs": [{"name": "web_search", "enabled": false}]}""");

        var declared = await harness.Source.DeclareAsync(WorkspaceHarness.Run, definition, CancellationToken.None);

        Assert.Equal(["bash", "read", "write", "edit", "glob", "grep", "web_fetch"], declared.Select(d => d.Name));
        string[] Properties(string name) => [.. declared.Single(d => d.Name == name).JsonSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name)];
        Assert.Equal(["command", "restart", "timeout_ms"], Properties("bash"));
        Assert.Equal(["file_path", "view_range"], Properties("read"));
        Assert.Equal(["file_path", "content"], Properties("write"));
        Assert.Equal(["file_path", "old_string", "new_string", "replace_all"], Properties("edit"));
        Assert.Equal(["pattern", "path"], Properties("glob"));
        Assert.Equal(["pattern", "path"], Properties("grep"));
    }

    [Fact]
    public async Task Invoke_WithoutAContainer_IsAnInternalError()
    {
        await using var harness = new WorkspaceHarness();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            harness.Source.InvokeAsync(new ToolInvocation(WorkspaceHarness.Run, WorkspaceHarness.Definition(null), "bash", "call_1", """{"command":"ls"}"""), CancellationToken.None));

        Assert.Contains("container_id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_ADisabledTool_OrArgumentsThatAreNotAnObject_IsAnErrorTheModelReads()
    {
        await using var harness = new WorkspaceHarness();
        var definition = WorkspaceHarness.Definition("cntr_unused", """{"configs": [{"name": "write", "enabled": false}]}""");

        var disabled = await harness.Source.InvokeAsync(new ToolInvocation(WorkspaceHarness.Run, definition, "write", "call_1", "{}"), CancellationToken.None);
        var notObject = await harness.Source.InvokeAsync(new ToolInvocation(WorkspaceHarness.Run, definition, "bash", "call_2", "[1]"), CancellationToken.None);

        var disabledView = harness.Source.Describe(disabled.Record);
        Assert.True(disabledView.IsError);
        Assert.Contains("not an enabled tool", disabledView.Output, StringComparison.Ordinal);
        var notObjectView = harness.Source.Describe(notObject.Record);
        Assert.True(notObjectView.IsError);
        Assert.Contains("must be a JSON object", notObjectView.Output, StringComparison.Ordinal);
        Assert.Equal("[1]", notObjectView.Arguments);
    }
}

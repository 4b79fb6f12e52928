using System.Text.Json;
using AgentHost.Core.Domain;
using AgentHost.Core.Errors;

namespace AgentHost.Tools.Mcp.Tests;

public sealed class McpToolSettingsTests
{
    [Fact]
    public void TheResponsesShape_IsRead()
    {
        var settings = McpToolSettings.Read(Definition("""
            {"server_label":"docs","server_url":"https://mcp.example.com/mcp","headers":{"Authorization":"Bearer x"},
             "allowed_tools":["search"],"require_approval":{"never":{"tool_names":["search"]}},"server_description":"Docs"}
            """), "tools[0]");

        Assert.Equal("docs", settings.Label);
        Assert.Equal("https://mcp.example.com/mcp", settings.Url);
        Assert.Equal("Bearer x", settings.Headers["authorization"]);
        Assert.Equal(["search"], settings.AllowedTools!);
        Assert.False(settings.Approval.Requires("search"));
        Assert.True(settings.Approval.Requires("delete"));
        Assert.Equal("Docs", settings.Description);
    }

    [Theory]
    [InlineData("""{"server_label":"a b"}""", "tools[0].server_label")]
    [InlineData("""{}""", "tools[0].server_label")]
    [InlineData("""{"server_label":"a","server_url":"ftp://x"}""", "tools[0].server_url")]
    [InlineData("""{"server_label":"a","require_approval":"sometimes"}""", "tools[0].require_approval")]
    [InlineData("""{"server_label":"a","allowed_tools":"echo"}""", "tools[0].allowed_tools")]
    [InlineData("""{"server_label":"a","connector_id":"x"}""", "tools[0].connector_id")]
    public void AWrongField_IsRefused_NamingIt(string json, string param)
    {
        var error = Assert.Throws<ApiException>(() => McpToolSettings.Read(Definition(json), "tools[0]"));

        Assert.Equal(param, error.Param);
        Assert.Equal(ApiErrorKind.InvalidRequest, error.Kind);
    }

    [Fact]
    public void ApprovalDefaultsToAlways_AsInTheResponsesApi()
    {
        Assert.True(McpToolSettings.Read(Definition("""{"server_label":"a"}"""), "tools[0]").Approval.Requires("anything"));
        Assert.False(McpToolSettings.Read(Definition("""{"server_label":"a","require_approval":"never"}"""), "tools[0]").Approval.Requires("anything"));
    }

    private static ToolDefinition Definition(string json) => new()
    {
        Type = "mcp",
        Settings = JsonSerializer.Deserialize(json, McpJsonContext.Default.DictionaryStringJsonElement),
    };
}

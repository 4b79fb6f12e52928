using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Testing.Requirements;

namespace AgentHost.Tools.Mcp.Tests;

/// <summary>The Responses API's MCP items, compared with the recorded exchanges of the official service.</summary>
public sealed class McpResponseItemsTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""{"type":"object","properties":{"diceRollExpression":{"type":"string"}}}""").RootElement;

    [Fact]
    public void ACall_CarriesItsOutput_OrItsError_AndTheApprovalItFollowed()
    {
        var ok = McpResponseItems.Call("mcp_1", "dmcp", "roll", """{"diceRollExpression":"2d4+1"}""", new McpToolCallResult("7", null, false), "mcpr_1");
        var failed = McpResponseItems.Call("mcp_2", "dmcp", "roll", "{}", new McpToolCallResult("Error: down", "down", false));
        var denied = McpResponseItems.Call("mcp_3", "dmcp", "roll", "{}", null, "mcpr_3", deniedReason: "not now");
        var toolError = McpResponseItems.Call("mcp_4", "dmcp", "roll", "{}", new McpToolCallResult("bad dice", null, true));

        Assert.Equal("7", ok["output"]!.GetValue<string>());
        Assert.Null(ok["error"]);
        Assert.Equal("mcpr_1", ok["approval_request_id"]!.GetValue<string>());
        Assert.Equal("http_error", failed["error"]!["type"]!.GetValue<string>());
        Assert.Equal(424, failed["error"]!["code"]!.GetValue<int>());
        Assert.Equal("down", failed["error"]!["message"]!.GetValue<string>());
        Assert.Null(failed["output"]);
        Assert.Equal(403, denied["error"]!["code"]!.GetValue<int>());
        Assert.Contains("not now", denied["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(denied["output"]);
        Assert.Equal("mcp_tool_execution_error", toolError["error"]!["type"]!.GetValue<string>());
        Assert.Equal("bad dice", toolError["error"]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Null(toolError["output"]);
    }

    [Fact]
    public void APendingCall_IsAnApprovalRequest_NamedAfterItsCall()
    {
        var pending = McpResponseItems.PendingCall("call_1", "mcpr_x", "dmcp", "roll", """{"diceRollExpression":"2d4"}""");

        var item = McpResponseItems.FromStep(pending)!;

        Assert.Equal("mcp_approval_request", item["type"]!.GetValue<string>());
        Assert.Equal("mcpr_call_1", item["id"]!.GetValue<string>());
        Assert.Equal("roll", item["name"]!.GetValue<string>());
        Assert.Equal("dmcp", item["server_label"]!.GetValue<string>());
        Assert.Equal(("dmcp", "roll", """{"diceRollExpression":"2d4"}"""), McpResponseItems.Describe(pending));
    }

    [Fact]
    public void AnApprovalResponse_IsRead_AndABadOneNamesTheField()
    {
        var answer = McpResponseItems.ReadApprovalResponse(JsonDocument.Parse("""{"type":"mcp_approval_response","approval_request_id":"mcpr_1","approve":false,"reason":"no"}""").RootElement);
        var missing = Assert.Throws<FormatException>(() => McpResponseItems.ReadApprovalResponse(JsonDocument.Parse("""{"type":"mcp_approval_response","approve":true}""").RootElement));
        var notBool = Assert.Throws<FormatException>(() => McpResponseItems.ReadApprovalResponse(JsonDocument.Parse("""{"type":"mcp_approval_response","approval_request_id":"x","approve":"yes"}""").RootElement));

        Assert.Equal(new McpApprovalAnswer("mcpr_1", false, "no"), answer);
        Assert.Contains("approval_request_id", missing.Message, StringComparison.Ordinal);
        Assert.Contains("approve", notBool.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllowedToolsAndRequireApproval_OfAResponsesDefinition_DecideWhatIsOfferedAndAsked()
    {
        var definition = new AgentHost.Core.Domain.ToolDefinition
        {
            Type = "mcp",
            Settings = JsonSerializer.Deserialize(
                """{"server_label":"dmcp","allowed_tools":["roll"],"require_approval":{"always":{"tool_names":["roll"]}}}""",
                McpJsonContext.Default.DictionaryStringJsonElement),
        };

        Assert.True(McpToolbox.Offers(definition, new McpToolInfo("roll", "dmcp__roll", null, Schema)));
        Assert.False(McpToolbox.Offers(definition, new McpToolInfo("flip", "dmcp__flip", null, Schema)));
        Assert.True(McpToolbox.RequiresApproval(definition, "roll"));
    }

    [RequiresTheory("shared")]
    [InlineData("MCPToolWorks.json", "mcp_list_tools")]
    [InlineData("MCPToolWorks.json", "mcp_call")]
    [InlineData("MCPToolAlwaysRequiresApproval(False).json", "mcp_approval_request")]
    public void EachItem_HasTheRecordedFields(string recording, string type)
    {
        var recorded = RecordedItems(recording).First(i => i["type"]!.GetValue<string>() == type).AsObject();
        var tool = new McpToolInfo("roll", "dmcp__roll", "Rolls dice.", Schema) { ReadOnly = false };
        var built = type switch
        {
            "mcp_list_tools" => McpResponseItems.ListTools("mcpl_1", "dmcp", [tool]),
            "mcp_call" => McpResponseItems.Call("mcp_1", "dmcp", "roll", "{}", new McpToolCallResult("7", null, false)),
            _ => McpResponseItems.ApprovalRequest("mcpr_1", "dmcp", "roll", "{}"),
        };

        Assert.Equal(recorded.Select(p => p.Key).Order(StringComparer.Ordinal), built.Select(p => p.Key).Order(StringComparer.Ordinal));
        if (type == "mcp_list_tools")
        {
            var recordedTool = recorded["tools"]![0]!.AsObject();
            Assert.Equal(recordedTool.Select(p => p.Key).Order(StringComparer.Ordinal), built["tools"]![0]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
            Assert.Equal(recordedTool["annotations"]!.ToJsonString(), built["tools"]![0]!["annotations"]!.ToJsonString());
        }
    }

    /// <summary>The output items of every recorded response in a recording.</summary>
    private static IEnumerable<JsonNode> RecordedItems(string recording)
    {
        var path = Path.Combine(TestComponents.SharedFolder!, "openai-dotnet-recordings", "ResponsesToolTests", recording);
        var entries = JsonNode.Parse(File.ReadAllText(path))!["Entries"]!.AsArray();
        return entries.Select(e => e!["ResponseBody"]).OfType<JsonObject>().SelectMany(b => b["output"]?.AsArray() ?? []).OfType<JsonNode>();
    }
}

using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Storage;
using AgentHost.Tools.Mcp;

namespace AgentHost.Server.Responses;

/// <summary>
/// The <c>mcp_list_tools</c> items of a response: before its run's first model call, each MCP server of its <c>mcp</c>
/// tools that the conversation has not listed yet (no <c>mcp_list_tools</c> item of that label in its chain,
/// conversation or input, as the original lists a server only once) is listed, its tools filtered by
/// <c>allowed_tools</c>. The items are kept in the response's settings and lead its output.
/// </summary>
internal sealed class ResponseMcpListing(McpToolbox toolbox, IResponseStore responses, IRunEventSink events)
{
    /// <summary>Where a response's settings keep its listings (never echoed: the response object takes known keys only).</summary>
    public const string SettingsKey = "agenthost_mcp_list_tools";

    /// <summary>Lists what the response has to list, once; <paramref name="history"/> is what its run continues.</summary>
    public async Task ListAsync(ThreadRun run, IReadOnlyList<JsonObject> history, CancellationToken cancellationToken)
    {
        var definitions = run.Tools.Where(t => t.Type == ResponseMcpTool.Type).ToList();
        if (definitions.Count == 0 || await responses.GetAsync(run.Id, cancellationToken) is not { } stored)
        {
            return;
        }

        var settings = ResponseRecords.Settings(stored);
        if (settings[SettingsKey] is not null)
        {
            return;
        }

        var listed = history.Where(i => (string?)i["type"] == "mcp_list_tools").Select(i => (string?)i["server_label"]).ToHashSet(StringComparer.Ordinal);
        var items = new JsonArray();
        foreach (var definition in definitions)
        {
            var label = McpToolbox.LabelOf(definition);
            if (!listed.Add(label))
            {
                continue;
            }

            var id = ResponseIds.New("mcpl");
            events.Publish(new McpToolsListed { RunId = run.Id, Item = McpResponseItems.ListTools(id, label, []) });
            JsonObject item;
            try
            {
                var tools = await toolbox.ListToolsAsync(toolbox.Read(definition, "tools"), cancellationToken);
                item = McpResponseItems.ListTools(id, label, [.. tools.Where(t => McpToolbox.Offers(definition, t))]);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The run goes on: the model is offered the server's tools as last listed, or told it is unavailable.
                item = McpResponseItems.ListTools(id, label, [], e.Message);
            }

            items.Add(item);
            events.Publish(new McpToolsListed { RunId = run.Id, Item = item.DeepClone().AsObject(), Done = true });
        }

        settings[SettingsKey] = items;
        await responses.UpdateDataAsync(run.Id, settings.ToJsonString(), cancellationToken);
    }

    /// <summary>The listings a response made, which lead its output.</summary>
    public static IEnumerable<JsonObject> Items(JsonObject settings) =>
        (settings[SettingsKey] as JsonArray ?? []).OfType<JsonObject>().Select(i => i.DeepClone().AsObject());
}

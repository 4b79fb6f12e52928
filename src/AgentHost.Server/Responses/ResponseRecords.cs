using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Storage;
using AgentHost.Core.Tools;

namespace AgentHost.Server.Responses;

/// <summary>
/// Reads a response as the API shows it: its stored settings, its run, and its output from the run's record. Keeps the
/// output as items once the run ends, and forgets responses made with <c>store: false</c>.
/// </summary>
internal sealed class ResponseRecords(IResponseStore responses, IAgentStore runs, IConversationStore conversations, ToolSources sources,
    ReasoningSeal seal, AgentHost.Observability.Tracing.TraceWriter? traces = null)
{
    /// <summary>Seals and opens the <c>encrypted_content</c> of reasoning items.</summary>
    public ReasoningSeal Seal => seal;

    /// <summary>Forgets a <c>store: false</c> response once answered; its trace spans are written first, then keep only usage and cost.</summary>
    public async Task ForgetAsync(string id)
    {
        if (traces is not null)
        {
            await traces.FlushAsync(CancellationToken.None);
        }

        await responses.ForgetContentAsync(id, CancellationToken.None);
    }

    public IResponseStore Store => responses;

    public IAgentStore Runs => runs;

    public ToolSources Sources => sources;

    public static JsonObject Settings(StoredResponse response) => JsonNode.Parse(response.Data)!.AsObject();

    /// <summary>The response object, or null when there is no such (stored) response.</summary>
    public async Task<JsonObject?> GetAsync(string id, IEnumerable<string>? include, CancellationToken cancellationToken)
    {
        if (await responses.GetAsync(id, cancellationToken) is not { } stored || await runs.GetRunAsync(id, id, cancellationToken) is not { } run)
        {
            return null;
        }

        var settings = Settings(stored);
        return ResponseObject.Build(id, settings, run, await OutputAsync(run, ResponseView.Of(settings, include), cancellationToken));
    }

    public async Task<List<JsonObject>> OutputAsync(ThreadRun run, ResponseView view, CancellationToken cancellationToken)
    {
        var steps = (await runs.ListStepsAsync(run.ThreadId, run.Id, new ListQuery { Limit = int.MaxValue, Ascending = true }, cancellationToken)).Data;
        var messages = await runs.GetThreadMessagesAsync(run.ThreadId, cancellationToken);
        var output = ResponseOutput.FromRecord(steps, messages, view, sources, seal);

        // The MCP servers the response listed lead its output.
        return run.Tools.Any(t => t.Type == ResponseMcpTool.Type) && await responses.GetAsync(run.Id, cancellationToken) is { } stored
            ? [.. ResponseMcpListing.Items(Settings(stored)), .. output]
            : output;
    }

    /// <summary>Keeps the ended run's output as the response's output items (with file search results, for later turns), once.</summary>
    public async Task KeepOutputAsync(StoredResponse response, ThreadRun run, CancellationToken cancellationToken)
    {
        if (response.OutputSaved)
        {
            return;
        }

        var settings = Settings(response);
        var output = await OutputAsync(run, ResponseView.Of(settings) with { IncludeFileSearchResults = true, IncludeCodeInterpreterOutputs = true, EncryptedReasoning = true }, cancellationToken);
        await responses.SaveOutputAsync(response.Id, [.. output.Select(o => new StoredItem((string)o["id"]!, o.ToJsonString()) { IsOutput = true })], cancellationToken);
    }

    /// <summary>
    /// The conversation a response's run continues: its conversation's items up to its own input, or its chain's items
    /// and its own input.
    /// </summary>
    public async Task<List<JsonObject>> HistoryItemsAsync(string id, CancellationToken cancellationToken)
    {
        if (await responses.GetAsync(id, cancellationToken) is not { ConversationId: { } conversation })
        {
            return await InputItemsAsync(id, cancellationToken);
        }

        var own = await responses.GetItemsAsync([id], cancellationToken);
        var items = await conversations.GetItemsAsync(conversation, own.LastOrDefault(i => !i.IsOutput)?.Id, cancellationToken);
        return [.. items.Select(i => JsonNode.Parse(i.Data)!.AsObject())];
    }

    /// <summary>
    /// The items a response's input was: its chain's input and output items, then its own input, oldest first. Output of
    /// an ancestor that ended without its items being kept (a crash in between) is kept now.
    /// </summary>
    public async Task<List<JsonObject>> InputItemsAsync(string id, CancellationToken cancellationToken)
    {
        var chain = await responses.GetChainAsync(id, cancellationToken);
        foreach (var ancestor in chain.Take(chain.Count - 1).Where(r => !r.OutputSaved))
        {
            if (await runs.GetRunAsync(ancestor.Id, ancestor.Id, cancellationToken) is { } run && RunStatus.IsTerminal(run.Status))
            {
                await KeepOutputAsync(ancestor, run, cancellationToken);
            }
        }

        // The response's own output is not part of its input.
        var earlier = await responses.GetItemsAsync([.. chain.Take(chain.Count - 1).Select(r => r.Id)], cancellationToken);
        var own = await responses.GetItemsAsync([id], cancellationToken);
        return [.. earlier.Concat(own.Where(i => !i.IsOutput)).Select(i => JsonNode.Parse(i.Data)!.AsObject())];
    }

    /// <summary>
    /// What a new response continuing <paramref name="previousResponseId"/> or <paramref name="conversationId"/> would be
    /// given before its own input: the chain's items with the previous response's output, or the conversation's items.
    /// </summary>
    public async Task<List<JsonObject>> ItemsBeforeAsync(string? previousResponseId, string? conversationId, CancellationToken cancellationToken)
    {
        if (conversationId is not null)
        {
            return [.. (await conversations.GetItemsAsync(conversationId, null, cancellationToken)).Select(i => JsonNode.Parse(i.Data)!.AsObject())];
        }

        if (previousResponseId is null)
        {
            return [];
        }

        var items = await InputItemsAsync(previousResponseId, cancellationToken);
        if (await runs.GetRunAsync(previousResponseId, previousResponseId, cancellationToken) is { } run)
        {
            items.AddRange(await OutputAsync(run, new ResponseView(new HashSet<string>(), true), cancellationToken));
        }

        return items;
    }

    /// <summary>The output item of a finished engine-run call, from the run's record.</summary>
    public async Task<JsonObject?> RecordedCallAsync(ThreadRun run, Core.Events.ToolCallEvent call, ResponseView view)
    {
        var step = await runs.GetStepAsync(run.ThreadId, run.Id, call.StepId, CancellationToken.None);
        return step?.StepDetails.ToolCalls?.FirstOrDefault(c => c.Id == call.CallId) is { } recorded
            ? ResponseOutput.ToolCall(recorded, StepStatus.Completed, view, sources)
            : null;
    }
}

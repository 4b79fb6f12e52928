using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Observability;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Responses;

/// <summary>
/// The conversation a response's run continues: the items of its <c>previous_response_id</c> chain and its own input
/// (or its conversation's items). When the run ends, its output is kept as items, or the response forgotten if it was
/// made with <c>store: false</c> and nobody waits to read it.
/// </summary>
internal sealed class ResponseHistory(ResponseRecords records, ResponseWaiters waiters, ResponseEventRecorder recorder, ResponseMcpListing mcpListing,
    ResponseFiles files) : IRunHistory
{
    public string EntryPoint => ModelCallEntryPoints.Responses;

    public async Task<IReadOnlyList<ChatMessage>> LoadAsync(ThreadRun run, CancellationToken cancellationToken)
    {
        // A background response resumed after a restart has lost its recorder with the old process: it gets a new one
        // before its next model call publishes anything.
        if (run.Profile is { ResumesAfterCrash: true })
        {
            await recorder.EnsureRecordingAsync(run, cancellationToken);
        }

        var items = await records.HistoryItemsAsync(run.Id, cancellationToken);

        // Before its first model call, the response lists the MCP servers the conversation has not listed yet.
        await mcpListing.ListAsync(run, items, cancellationToken);
        return ResponseItemsToChat.Convert(await files.ResolveAsync(items, cancellationToken), records.Seal);
    }

    public async Task RunEndedAsync(ThreadRun run, CancellationToken cancellationToken)
    {
        if (await records.Store.GetAsync(run.Id, cancellationToken) is not { } response)
        {
            return;
        }

        if (ResponseRecords.Settings(response)["store"]?.GetValue<bool>() == false)
        {
            if (!waiters.IsWaited(run.Id))
            {
                await records.ForgetAsync(run.Id);
            }

            return;
        }

        await records.KeepOutputAsync(response, run, cancellationToken);
    }
}

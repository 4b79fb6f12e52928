using System.Text.Json.Nodes;
using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Errors;
using AgentHost.Core.Observability;
using AgentHost.Core.Storage;

namespace AgentHost.Server.Responses;

/// <summary>
/// Creates responses as runs of the engine (same id, their own record), and cancels and deletes them. The run carries a
/// profile saying how a response differs from an Assistants run: client tool calls end it, and a foreground one is not
/// resumed after a crash.
/// </summary>
internal sealed class ResponseService(ResponseRecords records, IAgentStore runs, IConversationStore conversations, RunService runService, ResponseContainers containers,
    ResponseFiles files, TimeProvider time)
{
    /// <summary>Stores the response and its queued run; call <see cref="Start"/> once a stream (if any) watches it.</summary>
    public async Task<ThreadRun> CreateAsync(string id, ResponseCreation creation, CancellationToken cancellationToken)
    {
        if (creation.PreviousResponseId is { } previous)
        {
            _ = await records.Store.GetAsync(previous, cancellationToken)
                ?? throw new ApiException(ApiErrorKind.NotFound, $"Previous response with id '{previous}' not found.", "previous_response_id", "previous_response_not_found");
        }

        if (creation.ConversationId is { } conversation && await conversations.GetAsync(conversation, cancellationToken) is null)
        {
            throw new ApiException(ApiErrorKind.NotFound, $"Conversation with id '{conversation}' not found.", "conversation");
        }

        CheckReasoning(creation);
        await files.CheckFilesExistAsync(creation.Input, cancellationToken);
        await CheckCallOutputsAsync(creation, cancellationToken);
        var tools = await containers.ResolveAsync(creation, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var run = new ThreadRun
        {
            Id = id,
            CreatedAt = now,
            AssistantId = string.Empty,
            ThreadId = id,
            Model = creation.Model,
            Instructions = creation.Instructions,
            Tools = tools,
            ToolResources = creation.ToolResources,
            Metadata = creation.Metadata,
            Temperature = creation.Temperature,
            TopP = creation.TopP,
            ReasoningEffort = creation.ReasoningEffort,
            MaxCompletionTokens = creation.MaxOutputTokens,
            ToolChoice = creation.ToolChoice,
            ParallelToolCalls = creation.ParallelToolCalls,
            ResponseFormat = creation.ResponseFormat,
            Profile = new RunProfile
            {
                EntryPoint = ModelCallEntryPoints.Responses,
                EndsAtClientToolCalls = true,
                MaxToolCalls = creation.MaxToolCalls,
                NoTruncation = creation.TruncationDisabled,
                ResumesAfterCrash = creation.Background,
                ReasoningSummary = creation.ReasoningSummary,
            },
        };
        var stored = new StoredResponse
        {
            Id = id,
            CreatedAt = now,
            PreviousResponseId = creation.PreviousResponseId,
            ConversationId = creation.ConversationId,
            Data = creation.Settings.ToJsonString(),
        };
        // Answers to MCP approvals are decided before anything is stored (a 400 stores nothing); the run starts with them.
        if (await ResponseMcpApprovals.DecideAsync(id, creation, records, now, cancellationToken) is { } decided)
        {
            await runs.SaveStepAsync(decided, cancellationToken);
        }

        await records.Store.CreateAsync(stored, [.. creation.Input.Select(i => new StoredItem((string)i["id"]!, i.ToJsonString()))], run, cancellationToken);
        return run;
    }

    public void Start(string id) => runService.Start(id);

    /// <summary>Cancels a background response; one that already ended is returned as it is.</summary>
    public async Task CancelAsync(string id, CancellationToken cancellationToken)
    {
        var response = await records.Store.GetAsync(id, cancellationToken) ?? throw NotFound(id);
        if (ResponseRecords.Settings(response)["background"]?.GetValue<bool>() != true)
        {
            throw ApiException.Invalid("Only responses created with background=true can be cancelled.", null, "invalid_request");
        }

        var run = await runs.GetRunAsync(id, id, cancellationToken) ?? throw NotFound(id);
        if (!RunStatus.IsTerminal(run.Status) && run.Status != RunStatus.Cancelling)
        {
            try
            {
                await runService.CancelRunAsync(id, id, cancellationToken);
            }
            catch (ApiException)
            {
                // Refused only when it ended while we were cancelling it; then it is answered as it ended.
                if (await runs.GetRunAsync(id, id, cancellationToken) is not { } now || !RunStatus.IsTerminal(now.Status))
                {
                    throw;
                }
            }
        }
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (await runs.GetRunAsync(id, id, cancellationToken) is { } run && !RunStatus.IsTerminal(run.Status) && run.Status != RunStatus.Cancelling)
        {
            await runService.CancelRunAsync(id, id, cancellationToken);
        }

        if (!await records.Store.DeleteAsync(id, cancellationToken))
        {
            throw NotFound(id);
        }
    }

    public static ApiException NotFound(string id) => new(ApiErrorKind.NotFound, $"Response with id '{id}' not found.", null);

    /// <summary>
    /// A reasoning item given back must carry the <c>encrypted_content</c> this server sealed, unaltered: it goes back to
    /// the model as it came (Claude's thinking with its signature).
    /// </summary>
    private void CheckReasoning(ResponseCreation creation)
    {
        for (var i = 0; i < creation.Input.Count; i++)
        {
            var item = creation.Input[i];
            if ((string?)item["type"] != "reasoning" || item["encrypted_content"] is null)
            {
                continue;
            }

            if (item["encrypted_content"] is not JsonValue value || !value.TryGetValue<string>(out var content) || records.Seal.Open(content) is null)
            {
                throw ApiException.Invalid($"The encrypted content for item {(string?)item["id"]} could not be verified.", $"input[{i}].encrypted_content",
                    "invalid_encrypted_content");
            }
        }
    }

    /// <summary>Every <c>function_call_output</c> must answer a call made earlier in the chain or in the same input, as the original checks.</summary>
    private async Task CheckCallOutputsAsync(ResponseCreation creation, CancellationToken cancellationToken)
    {
        var outputs = creation.Input.Where(i => (string?)i["type"] is "function_call_output" or "custom_tool_call_output").ToList();
        if (outputs.Count == 0 || creation.ConversationId is not null)
        {
            return;
        }

        var earlier = await records.ItemsBeforeAsync(creation.PreviousResponseId, null, cancellationToken);
        var calls = earlier.Concat(creation.Input)
            .Where(i => (string?)i["type"] is "function_call" or "custom_tool_call")
            .Select(i => (string?)i["call_id"])
            .ToHashSet(StringComparer.Ordinal);
        foreach (var output in outputs)
        {
            var callId = (string?)output["call_id"];
            if (!calls.Contains(callId))
            {
                throw ApiException.Invalid($"No tool call found for function call output with call_id {callId}.", "input");
            }
        }
    }

}

using System.Text.Json.Nodes;
using AgentHost.Core.Errors;
using AgentHost.Core.Models;
using AgentHost.Core.Observability;
using AgentHost.Core.Tokens;
using AgentHost.Server.Http;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Responses;

/// <summary>
/// <c>POST /v1/responses/input_tokens</c> (what an input would cost: Claude's own count, else an o200k estimate) and
/// <c>POST /v1/responses/compact</c> (the conversation so far, summarised by the serving model into a
/// <c>compaction</c> item that later input may carry instead of the turns it replaces).
/// </summary>
internal static class ResponseInputEndpoints
{
    private static readonly string[] Fields =
    [
        "model", "input", "instructions", "previous_response_id", "conversation", "tools", "text", "reasoning", "truncation", "tool_choice", "parallel_tool_calls",
    ];

    private const string CompactionPrompt =
        "Summarise the conversation above for your own later use: keep every fact, decision, open question, file and tool result that " +
        "matters for continuing it, in the order they arose. Write only the summary.";

    public static void MapResponseInputEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/responses/input_tokens", CountAsync);
        routes.MapPost("/v1/responses/compact", CompactAsync);
    }

    private static async Task<IResult> CountAsync(HttpContext http, ResponseRecords records, ResponseFiles files, ResponseTokenCounting counting, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http.Request, cancellationToken)).Allow(Fields);
        var (messages, _) = await ConversationAsync(request, records, files, cancellationToken);
        var total = await counting.CountAsync(request.String("model"), messages, request.Get("tools"), cancellationToken);
        return ResponseEndpoints.Json(new JsonObject { ["object"] = "response.input_tokens", ["input_tokens"] = total });
    }

    private static async Task<IResult> CompactAsync(HttpContext http, ResponseRecords records, ResponseFiles files, IModelRouter models, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http.Request, cancellationToken)).Allow(Fields);
        var model = request.RequiredString("model");
        var (messages, items) = await ConversationAsync(request, records, files, cancellationToken);
        if (messages.Count == 0)
        {
            throw ApiException.Invalid("There is nothing to compact: give 'input', 'previous_response_id' or 'conversation'.", "input", "missing_required_parameter");
        }

        var id = ResponseIds.Response();
        var options = new ModelCallScope { EntryPoint = ModelCallEntryPoints.Responses, RunId = id }.AttachTo(new ChatOptions { ModelId = model });
        var answer = await models.GetClient(model).GetResponseAsync([.. messages, new ChatMessage(ChatRole.User, CompactionPrompt)], options, cancellationToken);

        // The user's own messages are kept as they were; everything else is replaced by the summary.
        var output = new JsonArray();
        foreach (var item in items.Where(i => (string?)i["type"] is null or "message" && (string?)i["role"] == "user"))
        {
            var kept = item.DeepClone().AsObject();
            kept["id"] = ResponseIds.Message();
            output.Add(kept);
        }

        output.Add(new JsonObject { ["id"] = ResponseIds.New("cmp"), ["type"] = "compaction", ["encrypted_content"] = answer.Text });
        var input = (int)(answer.Usage?.InputTokenCount ?? 0);
        var outputTokens = (int)(answer.Usage?.OutputTokenCount ?? 0);
        return ResponseEndpoints.Json(new JsonObject
        {
            ["id"] = id,
            ["object"] = "response.compaction",
            ["created_at"] = time.GetUtcNow().ToUnixTimeSeconds(),
            ["output"] = output,
            ["usage"] = ResponseObject.Usage(new Core.Domain.Usage { PromptTokens = input, CompletionTokens = outputTokens }),
        });
    }

    /// <summary>The conversation a request names (its chain or conversation, then its input), as items and as model messages.</summary>
    private static async Task<(List<ChatMessage> Messages, List<JsonObject> Items)> ConversationAsync(JsonRequest request, ResponseRecords records, ResponseFiles files,
        CancellationToken cancellationToken)
    {
        var previous = request.String("previous_response_id");
        var conversation = request.Get("conversation") is { ValueKind: System.Text.Json.JsonValueKind.Object } ? request.Object("conversation")!.Allow("id").RequiredString("id") : request.String("conversation");
        if (previous is not null && await records.Store.GetAsync(previous, cancellationToken) is null)
        {
            throw new ApiException(ApiErrorKind.NotFound, $"Previous response with id '{previous}' not found.", "previous_response_id", "previous_response_not_found");
        }

        var items = await records.ItemsBeforeAsync(previous, conversation, cancellationToken);
        items.AddRange(ResponseInputReader.Read(request, "input"));
        var messages = ResponseItemsToChat.Convert(await files.ResolveAsync(items, cancellationToken), records.Seal);
        if (request.String("instructions") is { Length: > 0 } instructions)
        {
            messages.Insert(0, new ChatMessage(ChatRole.System, instructions));
        }

        return (messages, items);
    }
}

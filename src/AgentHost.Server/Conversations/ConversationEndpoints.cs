using System.Text.Json.Nodes;
using AgentHost.Core.Errors;
using AgentHost.Core.Storage;
using AgentHost.Server.Http;
using AgentHost.Server.Responses;

namespace AgentHost.Server.Conversations;

/// <summary>
/// <c>/v1/conversations</c>: conversations and their items. A response made with <c>conversation</c> appends its input
/// and output items here; nothing expires.
/// </summary>
internal static class ConversationEndpoints
{
    public static void MapConversationEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/conversations");
        group.MapPost("", CreateAsync);
        group.MapGet("/{conversationId}", GetAsync);
        group.MapPost("/{conversationId}", UpdateAsync);
        group.MapDelete("/{conversationId}", DeleteAsync);
        group.MapGet("/{conversationId}/items", ListItemsAsync);
        group.MapPost("/{conversationId}/items", AddItemsAsync);
        group.MapGet("/{conversationId}/items/{itemId}", GetItemAsync);
        group.MapDelete("/{conversationId}/items/{itemId}", DeleteItemAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, IConversationStore conversations, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http.Request, cancellationToken)).Allow("metadata", "items");
        var metadata = request.Metadata() ?? new Dictionary<string, string>();
        var items = Items(request);
        var conversation = new StoredConversation
        {
            Id = ResponseIds.Conversation(),
            Data = new JsonObject { ["created_at"] = time.GetUtcNow().ToUnixTimeSeconds(), ["metadata"] = ResponseRequestReader.Metadata(metadata) }.ToJsonString(),
        };
        await conversations.CreateAsync(conversation, [.. items.Select(ToStored)], cancellationToken);
        return ResponseEndpoints.Json(View(conversation));
    }

    private static async Task<IResult> GetAsync(string conversationId, IConversationStore conversations, CancellationToken cancellationToken) =>
        ResponseEndpoints.Json(View(await conversations.GetAsync(conversationId, cancellationToken) ?? throw NotFound(conversationId)));

    private static async Task<IResult> UpdateAsync(string conversationId, HttpContext http, IConversationStore conversations, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http.Request, cancellationToken)).Allow("metadata");
        var conversation = await conversations.GetAsync(conversationId, cancellationToken) ?? throw NotFound(conversationId);
        var metadata = request.Metadata() ?? throw ApiException.Invalid("Missing required parameter: 'metadata'.", "metadata", "missing_required_parameter");
        var data = JsonNode.Parse(conversation.Data)!.AsObject();
        data["metadata"] = ResponseRequestReader.Metadata(metadata);
        var updated = conversation with { Data = data.ToJsonString() };
        await conversations.UpdateAsync(updated, cancellationToken);
        return ResponseEndpoints.Json(View(updated));
    }

    private static async Task<IResult> DeleteAsync(string conversationId, IConversationStore conversations, CancellationToken cancellationToken) =>
        await conversations.DeleteAsync(conversationId, cancellationToken)
            ? ResponseEndpoints.Json(new JsonObject { ["id"] = conversationId, ["object"] = "conversation.deleted", ["deleted"] = true })
            : throw NotFound(conversationId);

    private static async Task<IResult> ListItemsAsync(string conversationId, HttpContext http, IConversationStore conversations, CancellationToken cancellationToken)
    {
        var query = ListQueryReader.Read(http.Request);
        _ = await conversations.GetAsync(conversationId, cancellationToken) ?? throw NotFound(conversationId);
        var page = await conversations.ListItemsAsync(conversationId, query, cancellationToken);
        var data = page.Data.Select(i => JsonNode.Parse(i.Data)!.AsObject()).ToList();
        return ResponseEndpoints.Json(List(data, page.HasMore));
    }

    private static async Task<IResult> AddItemsAsync(string conversationId, HttpContext http, IConversationStore conversations, CancellationToken cancellationToken)
    {
        var request = (await JsonRequest.ReadAsync(http.Request, cancellationToken)).Allow("items");
        var items = Items(request);
        if (items.Count == 0)
        {
            throw ApiException.Invalid("Missing required parameter: 'items'.", "items", "missing_required_parameter");
        }

        if (!await conversations.AddItemsAsync(conversationId, [.. items.Select(ToStored)], cancellationToken))
        {
            throw NotFound(conversationId);
        }

        return ResponseEndpoints.Json(List(items, false));
    }

    private static async Task<IResult> GetItemAsync(string conversationId, string itemId, IConversationStore conversations, CancellationToken cancellationToken)
    {
        _ = await conversations.GetAsync(conversationId, cancellationToken) ?? throw NotFound(conversationId);
        var item = await conversations.GetItemAsync(conversationId, itemId, cancellationToken)
            ?? throw new ApiException(ApiErrorKind.NotFound, $"Item with id '{itemId}' not found.");
        return Results.Text(item.Data, "application/json", System.Text.Encoding.UTF8);
    }

    private static async Task<IResult> DeleteItemAsync(string conversationId, string itemId, IConversationStore conversations, CancellationToken cancellationToken)
    {
        var conversation = await conversations.GetAsync(conversationId, cancellationToken) ?? throw NotFound(conversationId);
        return await conversations.DeleteItemAsync(conversationId, itemId, cancellationToken)
            ? ResponseEndpoints.Json(View(conversation))
            : throw new ApiException(ApiErrorKind.NotFound, $"Item with id '{itemId}' not found.");
    }

    private static List<JsonObject> Items(JsonRequest request)
    {
        var items = new List<JsonObject>();
        var index = 0;
        foreach (var element in request.Array("items", 20) ?? [])
        {
            var item = ResponseInputReader.Item(request.Item(element, "items", index++));
            if ((string?)item["type"] == "item_reference")
            {
                throw ApiException.Invalid($"Invalid value for 'items[{index - 1}].type': item references cannot be added to a conversation.", $"items[{index - 1}].type", "invalid_value");
            }

            items.Add(item);
        }

        return items;
    }

    private static StoredItem ToStored(JsonObject item) => new((string)item["id"]!, item.ToJsonString());

    private static JsonObject List(IReadOnlyList<JsonObject> items, bool hasMore) => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray([.. items.Select(i => (JsonNode)i.DeepClone())]),
        ["first_id"] = items.Count > 0 ? (string?)items[0]["id"] : null,
        ["has_more"] = hasMore,
        ["last_id"] = items.Count > 0 ? (string?)items[^1]["id"] : null,
    };

    private static JsonObject View(StoredConversation conversation)
    {
        var data = JsonNode.Parse(conversation.Data)!.AsObject();
        return new JsonObject
        {
            ["id"] = conversation.Id,
            ["object"] = "conversation",
            ["created_at"] = data["created_at"]?.DeepClone(),
            ["metadata"] = data["metadata"]?.DeepClone() ?? new JsonObject(),
        };
    }

    public static ApiException NotFound(string id) => new(ApiErrorKind.NotFound, $"Conversation with id '{id}' not found.");
}

using System.Text.Json.Nodes;
using AgentHost.Core.Storage;

namespace AgentHost.Server.Responses;

/// <summary>A page of items as the Responses and Conversations APIs list them: <c>data</c>, <c>first_id</c>, <c>last_id</c>, <c>has_more</c>.</summary>
internal static class ItemPage
{
    /// <param name="items">All the items, oldest first.</param>
    public static JsonObject Of(IReadOnlyList<JsonObject> items, ListQuery query)
    {
        IEnumerable<JsonObject> ordered = query.Ascending ? items : items.Reverse();
        if (query.After is { } after)
        {
            ordered = ordered.SkipWhile(i => (string?)i["id"] != after).Skip(1);
        }

        if (query.Before is { } before)
        {
            ordered = ordered.TakeWhile(i => (string?)i["id"] != before);
        }

        var page = ordered.Take(query.Limit + 1).ToList();
        var hasMore = page.Count > query.Limit;
        if (hasMore)
        {
            page.RemoveAt(page.Count - 1);
        }

        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. page.Select(i => (JsonNode)i.DeepClone())]),
            ["first_id"] = page.Count > 0 ? (string?)page[0]["id"] : null,
            ["has_more"] = hasMore,
            ["last_id"] = page.Count > 0 ? (string?)page[^1]["id"] : null,
        };
    }
}

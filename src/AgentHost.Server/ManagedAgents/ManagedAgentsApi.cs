using System.Globalization;
using System.Text.Json.Nodes;
using AgentHost.Core.ManagedAgents;
using AgentHost.Core.Storage;

namespace AgentHost.Server.ManagedAgents;

/// <summary>What the Managed Agents routes share: the beta they belong to, timestamps, pages, and the features not offered.</summary>
internal static class ManagedAgentsApi
{
    /// <summary>The <c>anthropic-beta</c> value every Managed Agents request carries (the SDK adds it to each call).</summary>
    public const string Beta = "managed-agents-2026-04-01";

    public const int MaxPageSize = 100;

    /// <summary>RFC 3339 in UTC with milliseconds, as the API writes every timestamp.</summary>
    public static string Timestamp(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads an RFC 3339 query value (e.g. <c>created_at[gte]</c>) as Unix milliseconds.</summary>
    public static long? TimeQuery(HttpRequest request, string name)
    {
        var value = request.Query[name].ToString();
        if (value.Length == 0)
        {
            return null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUnixTimeMilliseconds()
            : throw Core.Errors.ApiException.Invalid($"Invalid '{name}': '{value}' is not an RFC 3339 timestamp.", name);
    }

    /// <summary><c>limit</c> (1–100, default 20) of a list request.</summary>
    public static int Limit(HttpRequest request, int fallback = 20)
    {
        var value = request.Query["limit"].ToString();
        if (value.Length == 0)
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxPageSize
            ? limit
            : throw Core.Errors.ApiException.Invalid($"Invalid 'limit': expected an integer from 1 to {MaxPageSize}, got '{value}'.", "limit");
    }

    public static bool? Flag(HttpRequest request, string name)
    {
        var value = request.Query[name].ToString();
        return value.Length == 0 ? null
            : bool.TryParse(value, out var flag) ? flag
            : throw Core.Errors.ApiException.Invalid($"Invalid '{name}': expected true or false, got '{value}'.", name);
    }

    /// <summary>A page as the SDK's <c>PageCursor</c> reads it: <c>data</c> and the <c>next_page</c> cursor.</summary>
    public static JsonObject Page(IEnumerable<JsonNode> data, string? nextPage, bool bidirectional = false)
    {
        var page = new JsonObject { ["data"] = new JsonArray([.. data]), ["next_page"] = nextPage };
        if (bidirectional)
        {
            page["prev_page"] = null;
        }

        return page;
    }

    public static JsonObject Page(Page<ManagedObject> page, Func<ManagedObject, JsonNode> render, bool bidirectional = false) =>
        Page(page.Data.Select(render), page.HasMore && page.Data.Count > 0 ? page.Data[^1].Id : null, bidirectional);

    public static JsonObject Data(ManagedObject stored) => JsonNode.Parse(stored.Data)!.AsObject();

    public static IResult Json(JsonNode node, int status = StatusCodes.Status200OK) =>
        Results.Text(node.ToJsonString(), "application/json", System.Text.Encoding.UTF8, status);
}

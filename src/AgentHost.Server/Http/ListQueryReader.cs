using AgentHost.Core.Errors;
using AgentHost.Core.Storage;

namespace AgentHost.Server.Http;

/// <summary>Reads <c>limit</c> (1–100), <c>order</c> (asc/desc), <c>after</c> and <c>before</c> from the query string.</summary>
internal static class ListQueryReader
{
    public static ListQuery Read(HttpRequest request)
    {
        var query = request.Query;
        var limit = 20;
        if (query.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, out limit) || limit is < 1 or > 100))
        {
            throw ApiException.Invalid($"Invalid 'limit': expected an integer between 1 and 100, but got '{limitText}' instead.", "limit", "invalid_value");
        }

        var order = query.TryGetValue("order", out var orderText) ? orderText.ToString() : "desc";
        if (order is not ("asc" or "desc"))
        {
            throw ApiException.Invalid($"Invalid value for 'order': '{order}' is not one of ['asc', 'desc'].", "order", "invalid_value");
        }

        return new ListQuery
        {
            Limit = limit,
            Ascending = order == "asc",
            After = NonEmpty(query["after"]),
            Before = NonEmpty(query["before"]),
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

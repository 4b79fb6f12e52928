using AgentHost.Core.Errors;
using AgentHost.Core.Storage;

namespace AgentHost.Server.Files;

/// <summary>The file list's paging: <c>limit</c> 1–10,000 (default 10,000), <c>order</c> (default desc), <c>after</c>.</summary>
internal static class FileListQuery
{
    private const int MaxLimit = 10_000;

    public static ListQuery Read(HttpRequest request)
    {
        var query = request.Query;
        var limit = MaxLimit;
        if (query.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, out limit) || limit is < 1 or > MaxLimit))
        {
            throw ApiException.Invalid($"Invalid 'limit': expected an integer between 1 and {MaxLimit}, but got '{limitText}' instead.", "limit", "invalid_value");
        }

        var order = query.TryGetValue("order", out var orderText) ? orderText.ToString() : "desc";
        if (order is not ("asc" or "desc"))
        {
            throw ApiException.Invalid($"Invalid value for 'order': '{order}' is not one of ['asc', 'desc'].", "order", "invalid_value");
        }

        var after = query["after"].ToString();
        return new ListQuery { Limit = limit, Ascending = order == "asc", After = after.Length == 0 ? null : after };
    }
}

using AgentHost.Core.Storage;

namespace AgentHost.Server.Http;

/// <summary>A page as the API returns it: <c>{"object": "list", "data", "first_id", "last_id", "has_more"}</c>.</summary>
internal sealed record ListResponse<T>(string Object, IReadOnlyList<T> Data, string? FirstId, string? LastId, bool HasMore)
{
    public static ListResponse<T> From(Page<T> page, Func<T, string> id) =>
        new("list", page.Data, page.Data.Count > 0 ? id(page.Data[0]) : null, page.Data.Count > 0 ? id(page.Data[^1]) : null, page.HasMore);
}

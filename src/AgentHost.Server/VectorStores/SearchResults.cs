using System.Text.Json;

namespace AgentHost.Server.VectorStores;

/// <summary><c>vector_store.search_results.page</c>: the answer of <c>POST /v1/vector_stores/{id}/search</c>.</summary>
internal sealed record SearchResultsPage(IReadOnlyList<string> SearchQuery, IReadOnlyList<SearchResultItem> Data)
{
    public string Object { get; init; } = "vector_store.search_results.page";
    public bool HasMore { get; init; }
    public string? NextPage { get; init; }
}

internal sealed record SearchResultItem(string FileId, string Filename, double Score, IReadOnlyDictionary<string, JsonElement> Attributes, IReadOnlyList<SearchResultContent> Content);

internal sealed record SearchResultContent(string Type, string Text);

/// <summary><c>vector_store.file_content.page</c>: a store file's parsed text.</summary>
internal sealed record VectorStoreFileContent(IReadOnlyList<SearchResultContent> Data)
{
    public string Object { get; init; } = "vector_store.file_content.page";
    public bool HasMore { get; init; }
    public string? NextPage { get; init; }
}

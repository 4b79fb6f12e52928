using AgentHost.Core.Errors;
using AgentHost.Retrieval.Tests.Search;
using AgentHost.Retrieval.Tests.Support;

namespace AgentHost.Retrieval.Tests.Filters;

public sealed class FilterTests
{
    private static async Task<RetrievalHarness> LabelledAsync()
    {
        var harness = new RetrievalHarness();
        await harness.AddAsync("vs", "a", "Quarterly report on sales in the north region.",
            new Dictionary<string, object?> { ["region"] = "north", ["year"] = 2023, ["public"] = true });
        await harness.AddAsync("vs", "b", "Quarterly report on sales in the south region.",
            new Dictionary<string, object?> { ["region"] = "south", ["year"] = 2024, ["public"] = false });
        await harness.AddAsync("vs", "c", "Quarterly report on sales in the east region.",
            new Dictionary<string, object?> { ["region"] = "east", ["year"] = 2025.0 });
        return harness;
    }

    [Theory]
    [InlineData("""{"type":"eq","key":"region","value":"north"}""", "a")]
    [InlineData("""{"type":"ne","key":"region","value":"north"}""", "b,c")]
    [InlineData("""{"type":"gt","key":"year","value":2023}""", "b,c")]
    [InlineData("""{"type":"gte","key":"year","value":2024}""", "b,c")]
    [InlineData("""{"type":"lt","key":"year","value":2024}""", "a")]
    [InlineData("""{"type":"lte","key":"year","value":2024}""", "a,b")]
    [InlineData("""{"type":"in","key":"region","value":["south","east","west"]}""", "b,c")]
    [InlineData("""{"type":"nin","key":"region","value":["south","east"]}""", "a")]
    [InlineData("""{"type":"eq","key":"public","value":true}""", "a")]
    [InlineData("""{"type":"ne","key":"public","value":true}""", "b,c")]
    [InlineData("""{"type":"eq","key":"year","value":"2023"}""", "")]
    [InlineData("""{"type":"gt","key":"region","value":"m"}""", "a,b")]
    [InlineData("""{"type":"eq","key":"missing","value":"x"}""", "")]
    [InlineData("""{"type":"and","filters":[{"type":"gte","key":"year","value":2024},{"type":"ne","key":"region","value":"east"}]}""", "b")]
    [InlineData("""{"type":"or","filters":[{"type":"eq","key":"region","value":"north"},{"type":"eq","key":"year","value":2025}]}""", "a,c")]
    [InlineData("""{"type":"or","filters":[{"type":"and","filters":[{"type":"eq","key":"public","value":false}]},{"type":"lt","key":"year","value":2000}]}""", "b")]
    public async Task Filter_SelectsMatchingFiles(string filter, string expected)
    {
        await using var harness = await LabelledAsync();

        var hits = await harness.SearchAsync("vs", "quarterly sales report", filterJson: filter);

        Assert.Equal(expected, string.Join(",", hits.Select(h => h.FileId).Order()));
    }

    [Theory]
    [InlineData("""{"type":"like","key":"region","value":"n"}""", "filters.type")]
    [InlineData("""{"key":"region","value":"n"}""", "filters.type")]
    [InlineData("""{"type":"eq","value":"n"}""", "filters.key")]
    [InlineData("""{"type":"eq","key":"region"}""", "filters.value")]
    [InlineData("""{"type":"eq","key":"region","value":{"x":1}}""", "filters.value")]
    [InlineData("""{"type":"in","key":"region","value":"north"}""", "filters.value")]
    [InlineData("""{"type":"in","key":"region","value":[true]}""", "filters.value[0]")]
    [InlineData("""{"type":"gt","key":"public","value":true}""", "filters.value")]
    [InlineData("""{"type":"eq","key":"region","value":"n","extra":1}""", "filters.extra")]
    [InlineData("""{"type":"and","filters":[]}""", "filters.filters")]
    [InlineData("""{"type":"or","filters":[{"type":"eq","key":"a","value":1},{"type":"eq","key":"b"}]}""", "filters.filters[1].value")]
    [InlineData("""["eq"]""", "filters")]
    public async Task InvalidFilter_IsRejectedNamingThePath(string filter, string path)
    {
        await using var harness = await LabelledAsync();

        var error = await Assert.ThrowsAsync<ApiException>(() => harness.SearchAsync("vs", "report", filterJson: filter));

        Assert.Equal(ApiErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(path, error.Param);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdatedAttributes_AreWhatFiltersSee()
    {
        await using var harness = await LabelledAsync();

        await harness.Index.UpdateAttributesAsync("vs", "c", new Dictionary<string, object?> { ["region"] = "north" }, CancellationToken.None);
        var hits = await harness.SearchAsync("vs", "sales", filterJson: """{"type":"eq","key":"region","value":"north"}""");

        Assert.Equal("a,c", string.Join(",", hits.Select(h => h.FileId).Order()));
        Assert.Equal("north", hits.Single(h => h.FileId == "c").Attributes["region"]);
    }

    [Fact]
    public async Task Hits_CarryTheFilesAttributes()
    {
        await using var harness = await HybridSearchTests.SeededAsync();
        await harness.AddAsync("vs", "tagged", "Penguins live in the southern hemisphere.", new Dictionary<string, object?> { ["n"] = 3, ["ok"] = true });

        var hit = (await harness.SearchAsync("vs", "penguins"))[0];

        Assert.Equal("tagged", hit.FileId);
        Assert.Equal(3.0, hit.Attributes["n"]);
        Assert.Equal(true, hit.Attributes["ok"]);
    }
}

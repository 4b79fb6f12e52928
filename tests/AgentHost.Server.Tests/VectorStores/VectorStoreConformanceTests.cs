using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentHost.Server.Tests.Conformance;
using AgentHost.Server.Tests.Support;
using static AgentHost.Server.Tests.Support.VectorStorePolling;

namespace AgentHost.Server.Tests.VectorStores;

public sealed class VectorStoreConformanceTests
{
    private const string Recordings = "VectorStoresTests";

    [SharedFact]
    public async Task VectorStoreObjects_MatchTheSpec_AndTheRecordedShapes()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var file = await UploadAsync(http, "test_file_000.txt", Encoding.UTF8.GetBytes("recorded shapes"));
        var other = await UploadAsync(http, "test_file_001.txt", Encoding.UTF8.GetBytes("more recorded shapes"));

        using var created = await PostAsync(http, "vector_stores", "{}");
        var id = created.RootElement.GetProperty("id").GetString()!;
        using var added = await PostAsync(http, $"vector_stores/{id}/files", $$"""{"file_id":"{{file}}"}""");
        using var batch = await PostAsync(http, $"vector_stores/{id}/file_batches", $$"""{"file_ids":["{{other}}"]}""");
        await WaitUntilIngestedAsync(http, id);
        using var files = JsonDocument.Parse(await http.GetStringAsync($"vector_stores/{id}/files"));
        using var stores = JsonDocument.Parse(await http.GetStringAsync("vector_stores"));
        using var search = await PostAsync(http, $"vector_stores/{id}/search", """{"query":"shapes"}""");
        using var removed = JsonDocument.Parse(await (await http.DeleteAsync($"vector_stores/{id}/files/{file}")).Content.ReadAsStringAsync());
        using var deleted = JsonDocument.Parse(await (await http.DeleteAsync($"vector_stores/{id}")).Content.ReadAsStringAsync());

        var associate = RecordedExchanges.Load(Recordings, "CanAssociateFiles");
        var batches = RecordedExchanges.Load(Recordings, "CanUseBatchIngestion");
        var lifecycle = RecordedExchanges.Load(Recordings, "CanCreateGetAndDeleteVectorStores");
        JsonShape.AssertSameShape(Recorded(associate, "POST", "/vector_stores"), created.RootElement);
        JsonShape.AssertSameShape(Recorded(associate, "POST", "/vector_stores/*/files"), added.RootElement);
        JsonShape.AssertSameShape(Recorded(associate, "GET", "/vector_stores/*/files"), files.RootElement);
        JsonShape.AssertSameShape(Recorded(associate, "DELETE", "/vector_stores/*/files/*"), removed.RootElement);
        JsonShape.AssertSameShape(Recorded(batches, "POST", "/vector_stores/*/file_batches"), batch.RootElement);
        JsonShape.AssertSameShape(Recorded(lifecycle, "DELETE", "/vector_stores/*"), deleted.RootElement);

        RecordedFileSpecDeviations.AssertValid(created.RootElement, "VectorStoreObject");
        RecordedFileSpecDeviations.AssertValid(stores.RootElement, "ListVectorStoresResponse");
        RecordedFileSpecDeviations.AssertValid(added.RootElement, "VectorStoreFileObject");
        RecordedFileSpecDeviations.AssertValid(files.RootElement, "ListVectorStoreFilesResponse");

        // The spec names the batch object `vector_store.files_batch`; the API sent `vector_store.file_batch`, as we do.
        Assert.Equal(Recorded(batches, "POST", "/vector_stores/*/file_batches").GetProperty("object").GetString(), batch.RootElement.GetProperty("object").GetString());
        var asSpecified = JsonNode.Parse(batch.RootElement.GetRawText())!.AsObject();
        asSpecified["object"] = "vector_store.files_batch";
        OpenApiSchemaValidator.AssertValid(JsonSerializer.SerializeToElement(asSpecified), "VectorStoreFileBatchObject");
        RecordedFileSpecDeviations.AssertValid(search.RootElement, "VectorStoreSearchResultsPage");
        RecordedFileSpecDeviations.AssertValid(removed.RootElement, "DeleteVectorStoreFileResponse");
        RecordedFileSpecDeviations.AssertValid(deleted.RootElement, "DeleteVectorStoreResponse");
    }

    /// <summary>The first successful recorded response to <paramref name="method"/> on a path matching <paramref name="route"/> (ids as <c>*</c>).</summary>
    private static JsonElement Recorded(IReadOnlyList<RecordedExchange> exchanges, string method, string route) =>
        exchanges.First(e => e.RequestMethod == method && e.StatusCode == 200
            && Regex.IsMatch(e.RequestUri.AbsolutePath, "^/v1" + Regex.Escape(route).Replace(@"\*", "[^/]+") + "$")).ResponseBody;
}

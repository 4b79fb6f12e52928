using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Server.Tests.Conformance;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.Containers;

/// <summary>Container objects against the spec's schemas and the shapes the official SDK's recorded session got.</summary>
public sealed class ContainerConformanceTests
{
    [SharedFact]
    public async Task ContainerObjects_MatchTheSpec_AndTheRecordedShapes()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var recordedCreate = RecordedExchanges.Load("ContainerTests", "CanCreateContainer");
        var recordedFiles = RecordedExchanges.Load("ContainerTests", "CanUploadGetAndDeleteContainerFile");
        var recordedList = RecordedExchanges.Load("ContainerTests", "CanEnumerateContainers");
        var recordedEmptyFiles = RecordedExchanges.Load("ContainerTests", "CanEnumerateContainerFiles");

        using var createResponse = await http.PostAsJsonAsync("containers", recordedCreate[0].RequestBody);
        var container = JsonDocument.Parse(await createResponse.Content.ReadAsStringAsync()).RootElement;
        var id = container.GetProperty("id").GetString();
        var emptyFiles = JsonDocument.Parse(await http.GetStringAsync($"containers/{id}/files?limit=10&order=desc")).RootElement;
        var file = await server.UploadContainerFileAsync(id!, "test-get-file.txt", "Test file content for get/delete operations."u8.ToArray());
        var fileId = file.GetProperty("id").GetString();
        var fetchedFile = JsonDocument.Parse(await http.GetStringAsync($"containers/{id}/files/{fileId}")).RootElement;
        var fileList = JsonDocument.Parse(await http.GetStringAsync($"containers/{id}/files")).RootElement;
        var list = JsonDocument.Parse(await http.GetStringAsync("containers?limit=10&order=desc")).RootElement;
        using var fileDeletion = await http.DeleteAsync($"containers/{id}/files/{fileId}");
        var fileDeleted = JsonDocument.Parse(await fileDeletion.Content.ReadAsStringAsync()).RootElement;
        using var deletion = await http.DeleteAsync($"containers/{id}");
        var deleted = JsonDocument.Parse(await deletion.Content.ReadAsStringAsync()).RootElement;

        OpenApiSchemaValidator.AssertValid(container, "ContainerResource");
        OpenApiSchemaValidator.AssertValid(list, "ContainerListResource");
        OpenApiSchemaValidator.AssertValid(file, "ContainerFileResource");
        OpenApiSchemaValidator.AssertValid(fetchedFile, "ContainerFileResource");
        OpenApiSchemaValidator.AssertValid(fileList, "ContainerFileListResource");
        JsonShape.AssertSameShape(recordedCreate[0].ResponseBody, container);
        JsonShape.AssertSameShape(recordedCreate[1].ResponseBody, deleted);
        JsonShape.AssertSameShape(recordedFiles[0].ResponseBody, file);
        JsonShape.AssertSameShape(recordedFiles[1].ResponseBody, fetchedFile);
        JsonShape.AssertSameShape(recordedFiles[3].ResponseBody, fileDeleted);
        JsonShape.AssertSameShape(recordedEmptyFiles[0].ResponseBody, emptyFiles);
        Assert.Equal("container.deleted", deleted.GetProperty("object").GetString());
        Assert.Equal("container.file.deleted", fileDeleted.GetProperty("object").GetString());
        Assert.Equal("running", container.GetProperty("status").GetString());
        Assert.Equal("disabled", container.GetProperty("network_policy").GetProperty("type").GetString());

        // The recorded list holds containers made before memory_limit and network_policy existed; ours always carry both.
        var recordedItem = recordedList[0].ResponseBody.GetProperty("data")[0];
        Assert.Empty(JsonShape.PropertyPaths(recordedItem).Except(JsonShape.PropertyPaths(list.GetProperty("data")[0])));
    }
}

using System.ClientModel;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using OpenAI.Containers;
using OpenAI.Files;

namespace AgentHost.Server.Tests.Containers;

/// <summary><c>/v1/containers</c> and container files through the official SDK's container client.</summary>
public sealed class ContainerApiTests
{
    [Fact]
    public async Task Containers_CreateRetrieveListPageAndDelete_ThroughTheOfficialSdk()
    {
        await using var server = await AgentHostServer.StartAsync();
        var client = server.Containers();

        ContainerResource created = await client.CreateContainerAsync(new ContainerCreationOptions("analysis")
        {
            ExpirationPolicy = new ContainerExpirationPolicy { Anchor = ContainerExpirationPolicyAnchor.LastActiveAt, Duration = TimeSpan.FromMinutes(30) },
            MemoryLimit = ContainerMemoryLimit.Max4GB,
        });
        var others = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            others.Add((await client.CreateContainerAsync(new ContainerCreationOptions($"other-{i}"))).Value.Id);
        }

        ContainerResource fetched = await client.GetContainerAsync(created.Id);
        var all = await client.GetContainersAsync(new ContainerCollectionOptions { PageSizeLimit = 2 }).ToListAsync();
        var ascending = await client.GetContainersAsync(new ContainerCollectionOptions { Order = ContainerCollectionOrder.Ascending }).ToListAsync();
        var named = await client.GetContainersAsync(new ContainerCollectionOptions { Name = "analysis" }).ToListAsync();
        ContainerDeletionResult deleted = await client.DeleteContainerAsync(created.Id);

        Assert.Matches("^cntr_[0-9a-f]{48}$", created.Id);
        Assert.Equal("analysis", fetched.Name);
        Assert.Equal("running", fetched.Status);
        Assert.Equal(TimeSpan.FromMinutes(30), fetched.ExpirationPolicy.Duration);
        Assert.Equal(ContainerMemoryLimit.Max4GB, fetched.MemoryLimit);
        Assert.Equal(fetched.CreatedAt, fetched.LastActiveAt);
        Assert.Equal([.. others.AsEnumerable().Reverse(), created.Id], all.Select(c => c.Id));
        Assert.Equal([created.Id, .. others], ascending.Select(c => c.Id));
        Assert.Equal([created.Id], named.Select(c => c.Id));
        Assert.True(deleted.Deleted);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => client.GetContainerAsync(created.Id))).Status);
        Assert.Equal(3, (await client.GetContainersAsync().ToListAsync()).Count);
    }

    [Fact]
    public async Task ContainerFiles_FromFileIdsUploadsAndFileIds_ListDownloadAndDelete()
    {
        await using var server = await AgentHostServer.StartAsync();
        var client = server.Containers();
        OpenAIFile input = await server.Files().UploadFileAsync(BinaryData.FromString("a,b\n1,2\n"), "data.csv", FileUploadPurpose.Assistants);
        ContainerResource container = await client.CreateContainerAsync(new ContainerCreationOptions("files") { FileIds = { input.Id } });

        var uploaded = await server.UploadContainerFileAsync(container.Id, "notes.txt", Encoding.UTF8.GetBytes("hello container"));
        using var http = server.Http();
        using var byId = await http.PostAsJsonAsync($"containers/{container.Id}/files", new { file_id = input.Id });
        var copied = JsonDocument.Parse(await byId.Content.ReadAsStringAsync()).RootElement;
        var files = await client.GetContainerFilesAsync(new ContainerFileCollectionOptions(container.Id) { Order = ContainerFileCollectionOrder.Ascending }).ToListAsync();
        var uploadedId = uploaded.GetProperty("id").GetString()!;
        ContainerFileResource fetched = await client.GetContainerFileAsync(container.Id, uploadedId);
        BinaryData content = await client.DownloadContainerFileAsync(container.Id, uploadedId);
        using var raw = await http.GetAsync($"containers/{container.Id}/files/{uploadedId}/content");
        ContainerFileDeletionResult deleted = await client.DeleteContainerFileAsync(container.Id, uploadedId);

        Assert.Equal(200, (int)byId.StatusCode);
        Assert.Equal(["/mnt/data/data.csv", "/mnt/data/notes.txt", copied.GetProperty("path").GetString()], files.Select(f => f.Path));
        Assert.Matches("^/mnt/data/[0-9a-f]{32}-data.csv$", copied.GetProperty("path").GetString());
        Assert.All(files, f => Assert.Equal("user", f.Source));
        Assert.All(files, f => Assert.Equal(container.Id, f.ContainerId));
        Assert.Matches("^cfile_[0-9a-f]{32}$", fetched.Id);
        Assert.Equal(15, fetched.SizeInBytes);
        Assert.Equal("hello container", content.ToString());
        Assert.Equal("text/plain", raw.Content.Headers.ContentType?.MediaType);
        Assert.True(deleted.Deleted);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => client.GetContainerFileAsync(container.Id, uploadedId))).Status);
        Assert.Equal(2, (await client.GetContainerFilesAsync(new ContainerFileCollectionOptions(container.Id)).ToListAsync()).Count);

        // The bytes are the container's own copy: deleting the source file changes nothing.
        await server.Files().DeleteFileAsync(input.Id);
        Assert.Equal("a,b\n1,2\n", (await client.DownloadContainerFileAsync(container.Id, files[0].Id)).Value.ToString());

        await client.DeleteContainerAsync(container.Id);
        Assert.False(Directory.Exists(Path.Combine(server.DataDir, "containers", container.Id)));
    }

    [Theory]
    [InlineData("""{}""", "name", "Missing required parameter: 'name'.")]
    [InlineData("""{"name":"x","memory_limit":"2g"}""", "memory_limit", "Invalid value for 'memory_limit': '2g' is not one of ['1g', '4g', '16g', '64g'].")]
    [InlineData("""{"name":"x","expires_after":{"anchor":"created_at","minutes":5}}""", "expires_after.anchor", "Invalid value for 'expires_after.anchor': 'created_at' is not one of ['last_active_at'].")]
    [InlineData("""{"name":"x","expires_after":{"anchor":"last_active_at","minutes":0}}""", "expires_after.minutes", "Invalid 'expires_after.minutes': integer below minimum value. Expected a value >= 1, but got 0 instead.")]
    [InlineData("""{"name":"x","network_policy":{"type":"allowlist","allowed_domains":["example.com"]}}""", "network_policy.type", "Invalid value for 'network_policy.type': 'allowlist' is not supported: AgentHost's sandbox has no network access, so only 'disabled' can be honoured.")]
    [InlineData("""{"name":"x","file_ids":[1]}""", "file_ids[0]", "Invalid type for 'file_ids[0]': expected a string, but got an integer instead.")]
    [InlineData("""{"name":"x","colour":"red"}""", "colour", "Unknown parameter: 'colour'.")]
    public async Task BadCreateRequests_AreRefusedNamingTheParameter_AndNothingIsStored(string body, string param, string message)
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();

        using var response = await http.PostAsync("containers", new StringContent(body, Encoding.UTF8, "application/json"));
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(message, error.GetProperty("message").GetString());
        Assert.Empty(await server.Containers().GetContainersAsync().ToListAsync());
    }

    [Fact]
    public async Task AnUnknownFileId_Answers404_AndNoContainerIsLeftBehind()
    {
        await using var server = await AgentHostServer.StartAsync();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => server.Containers().CreateContainerAsync(new ContainerCreationOptions("x") { FileIds = { "file-missing" } }));

        Assert.Equal(404, error.Status);
        Assert.Contains("file-missing", error.Message, StringComparison.Ordinal);
        Assert.Empty(await server.Containers().GetContainersAsync().ToListAsync());
    }

    [Theory]
    [InlineData("GET", "containers/cntr_missing", "container")]
    [InlineData("DELETE", "containers/cntr_missing", "container")]
    [InlineData("GET", "containers/cntr_missing/files", "container")]
    [InlineData("GET", "containers/cntr_missing/files/cfile_x", "container")]
    [InlineData("GET", "containers/{id}/files/cfile_missing", "container file")]
    [InlineData("DELETE", "containers/{id}/files/cfile_missing", "container file")]
    [InlineData("GET", "containers/{id}/files/cfile_missing/content", "container file")]
    public async Task UnknownContainersAndFiles_Answer404InTheErrorEnvelope(string method, string path, string what)
    {
        await using var server = await AgentHostServer.StartAsync();
        ContainerResource container = await server.Containers().CreateContainerAsync(new ContainerCreationOptions("x"));
        using var http = server.Http();

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", container.Id, StringComparison.Ordinal)));
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(404, (int)response.StatusCode);
        Assert.StartsWith($"No {what} found with id '", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileUpload_PastTheContainersSpace_IsRefusedNamingTheSetting()
    {
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:Sandbox:DataSizeMB"] = "1" });
        ContainerResource container = await server.Containers().CreateContainerAsync(new ContainerCreationOptions("small"));
        await server.UploadContainerFileAsync(container.Id, "half.bin", new byte[600_000]);
        using var http = server.Http();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[600_000]), "file", "more.bin" } };

        using var response = await http.PostAsync($"containers/{container.Id}/files", form);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("AgentHost:Sandbox:DataSizeMB", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single(await server.Containers().GetContainerFilesAsync(new ContainerFileCollectionOptions(container.Id)).ToListAsync());
    }
}

using System.ClientModel;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AgentHost.Server.Tests.Conformance;
using AgentHost.Server.Tests.Support;
using OpenAI.Files;

namespace AgentHost.Server.Tests.Files;

public sealed class FileEndpointTests
{
    [Fact]
    public async Task Files_UploadListDownloadDelete_ThroughOfficialSdk_BytesLiveInTheDataDirectory()
    {
        await using var server = await AgentHostServer.StartAsync();
        var client = server.Files();
        var content = Encoding.UTF8.GetBytes("Hello, file store — ünïcode too.");

        OpenAIFile first = await client.UploadFileAsync(new MemoryStream(content), "notes.txt", FileUploadPurpose.Assistants);
        OpenAIFile second = await client.UploadFileAsync(BinaryData.FromString("{}"), "data.json", FileUploadPurpose.Vision);
        var assistantsFiles = (await client.GetFilesAsync(FilePurpose.Assistants)).Value;
        var allFiles = (await client.GetFilesAsync()).Value;
        OpenAIFile fetched = await client.GetFileAsync(first.Id);
        BinaryData downloaded = await client.DownloadFileAsync(first.Id);
        var deleted = (await client.DeleteFileAsync(first.Id)).Value;

        Assert.StartsWith("file-", first.Id, StringComparison.Ordinal);
        Assert.Equal(content.Length, first.SizeInBytesLong);
        Assert.Equal("notes.txt", fetched.Filename);
        Assert.Equal(FilePurpose.Assistants, fetched.Purpose);
        Assert.Equal([first.Id], assistantsFiles.Select(f => f.Id));
        Assert.Equal([second.Id, first.Id], allFiles.Select(f => f.Id));
        Assert.Equal(content, downloaded.ToArray());
        Assert.True(deleted.Deleted);
        Assert.False(File.Exists(Path.Combine(server.DataDir, "files", first.Id)));
        Assert.Equal("{}"u8.ToArray(), await File.ReadAllBytesAsync(Path.Combine(server.DataDir, "files", second.Id)));
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => client.GetFileAsync(first.Id))).Status);
    }

    [Theory]
    [InlineData("GET", "files/fake_id")]
    [InlineData("DELETE", "files/fake_id")]
    [InlineData("GET", "files/fake_id/content")]
    public async Task UnknownFile_Answers404InTheOriginalsWording(string method, string path)
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal(
            """{"error":{"message":"No such File object: fake_id","type":"invalid_request_error","param":"id","code":null}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownPurpose_IsRefusedAsTheOriginalDid_AndNothingIsStored()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();

        using var response = await http.PostAsync("files", Upload("x.txt", "hello"u8.ToArray(), "world_domination"));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("'world_domination' is not one of ['fine-tune', 'assistants', 'batch', 'user_data', 'vision', 'evals'] - 'purpose'",
            error.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("purpose", error.RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Empty((await server.Files().GetFilesAsync()).Value);
    }

    [Fact]
    public async Task OversizeFile_IsRefusedNamingTheSetting_AndNothingIsStored()
    {
        await using var server = await AgentHostServer.StartAsync(settings: new() { ["AgentHost:Files:MaxFileBytes"] = "1000" });
        using var http = server.Http();

        using var small = await http.PostAsync("files", Upload("small.txt", new byte[1000], "assistants"));
        using var large = await http.PostAsync("files", Upload("large.txt", new byte[1001], "assistants"));
        using var error = JsonDocument.Parse(await large.Content.ReadAsStringAsync());

        Assert.Equal(200, (int)small.StatusCode);
        Assert.Equal(400, (int)large.StatusCode);
        Assert.Equal("file_too_large", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("AgentHost:Files:MaxFileBytes", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single((await server.Files().GetFilesAsync()).Value);
        Assert.Single(Directory.GetFiles(Path.Combine(server.DataDir, "files")));
    }

    [Fact]
    public async Task MissingFilePart_IsRefusedNamingIt()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        using var form = new MultipartFormDataContent { { new StringContent("assistants"), "purpose" } };

        using var response = await http.PostAsync("files", form);

        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("Missing required parameter: 'file'.", error.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task FileList_PagesWithLimitAfterAndOrder()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var created = await http.PostAsync("files", Upload($"f{i}.txt", [(byte)i], "user_data"));
            ids.Add(JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!);
        }

        using var page = JsonDocument.Parse(await http.GetStringAsync($"files?limit=2&order=asc&after={ids[0]}&purpose=user_data"));

        Assert.Equal(ids[1..], page.RootElement.GetProperty("data").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        Assert.False(page.RootElement.GetProperty("has_more").GetBoolean());
        Assert.Equal(400, (int)(await http.GetAsync("files?limit=0")).StatusCode);
    }

    [SharedFact]
    public async Task FileObjects_MatchTheSpec_AndTheRecordedShapes()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var recorded = RecordedExchanges.Load("FilesTests", "ListFiles");

        using var created = await http.PostAsync("files", Upload("test-file-delete-me.txt", "hello"u8.ToArray(), "assistants"));
        var file = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var list = JsonDocument.Parse(await http.GetStringAsync("files?purpose=assistants")).RootElement;
        using var deletedResponse = await http.DeleteAsync($"files/{file.GetProperty("id").GetString()}");
        var deleted = JsonDocument.Parse(await deletedResponse.Content.ReadAsStringAsync()).RootElement;

        RecordedFileSpecDeviations.AssertValid(file, "OpenAIFile");
        RecordedFileSpecDeviations.AssertValid(list, "ListFilesResponse");
        OpenApiSchemaValidator.AssertValid(deleted, "DeleteFileResponse");
        JsonShape.AssertSameShape(recorded.First(e => e.RequestMethod == "POST").ResponseBody, file);
        JsonShape.AssertSameShape(recorded.First(e => e.RequestMethod == "GET").ResponseBody, list);
        JsonShape.AssertSameShape(recorded.First(e => e.RequestMethod == "DELETE").ResponseBody, deleted);
    }

    internal static MultipartFormDataContent Upload(string filename, byte[] bytes, string purpose)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { new StringContent(purpose), "purpose" }, { file, "file", filename } };
    }
}

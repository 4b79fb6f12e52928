using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.Uploads;

public sealed class UploadEndpointTests
{
    [Fact]
    public async Task Upload_PartsAreJoinedInTheOrderGiven_AndTheMd5IsChecked()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var first = Encoding.UTF8.GetBytes("first part, ");
        var second = Encoding.UTF8.GetBytes("second part.");
        var whole = second.Concat(first).ToArray();
        var upload = await CreateAsync(http, "joined.txt", whole.Length);
        var partA = await AddPartAsync(http, upload, first);
        var partB = await AddPartAsync(http, upload, second);

        using var completed = await PostJsonAsync(http, $"uploads/{upload}/complete",
            $$"""{"part_ids":["{{partB}}","{{partA}}"],"md5":"{{Convert.ToHexStringLower(MD5.HashData(whole))}}"}""");
        var fileId = completed.RootElement.GetProperty("file").GetProperty("id").GetString()!;
        var downloaded = await http.GetByteArrayAsync($"files/{fileId}/content");

        Assert.Equal("completed", completed.RootElement.GetProperty("status").GetString());
        Assert.Equal("joined.txt", completed.RootElement.GetProperty("file").GetProperty("filename").GetString());
        Assert.Equal(whole, downloaded);
        Assert.False(Directory.Exists(Path.Combine(server.DataDir, "uploads", upload)));
    }

    [Fact]
    public async Task Upload_WithWrongMd5_OrWrongSize_IsRefused_AndNoFileIsMade()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var upload = await CreateAsync(http, "a.txt", 5);
        var part = await AddPartAsync(http, upload, "hello"u8.ToArray());
        var shortUpload = await CreateAsync(http, "b.txt", 6);
        var shortPart = await AddPartAsync(http, shortUpload, "hello"u8.ToArray());

        using var badMd5 = await http.PostAsync($"uploads/{upload}/complete", JsonBody.Of($$"""{"part_ids":["{{part}}"],"md5":"00000000000000000000000000000000"}"""));
        using var badSize = await http.PostAsync($"uploads/{shortUpload}/complete", JsonBody.Of($$"""{"part_ids":["{{shortPart}}"]}"""));
        using var unknownPart = await http.PostAsync($"uploads/{upload}/complete", JsonBody.Of("""{"part_ids":["part_nope"]}"""));
        using var files = JsonDocument.Parse(await http.GetStringAsync("files"));

        Assert.Equal(400, (int)badMd5.StatusCode);
        Assert.Contains("md5", await badMd5.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(400, (int)badSize.StatusCode);
        Assert.Equal(400, (int)unknownPart.StatusCode);
        Assert.Equal(0, files.RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task CancelledUpload_TakesNoMoreParts_AndUnknownUploadIs404()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var upload = await CreateAsync(http, "c.txt", 5);

        using var cancelled = await PostJsonAsync(http, $"uploads/{upload}/cancel", "{}");
        using var latePart = await http.PostAsync($"uploads/{upload}/parts", Part("hello"u8.ToArray()));
        using var unknown = await http.PostAsync("uploads/upload_nope/cancel", JsonBody.Of("{}"));

        Assert.Equal("cancelled", cancelled.RootElement.GetProperty("status").GetString());
        Assert.Equal(400, (int)latePart.StatusCode);
        Assert.Equal(404, (int)unknown.StatusCode);
    }

    [Fact]
    public async Task OversizePart_AndOversizeUpload_AreRefusedNamingTheSetting()
    {
        await using var server = await AgentHostServer.StartAsync(settings: new()
        {
            ["AgentHost:Files:MaxPartBytes"] = "10",
            ["AgentHost:Files:MaxUploadBytes"] = "100",
        });
        using var http = server.Http();
        var upload = await CreateAsync(http, "d.txt", 50);

        using var bigPart = await http.PostAsync($"uploads/{upload}/parts", Part(new byte[11]));
        using var bigUpload = await http.PostAsync("uploads", JsonBody.Of("""{"filename":"e.txt","purpose":"assistants","bytes":101,"mime_type":"text/plain"}"""));

        Assert.Equal(400, (int)bigPart.StatusCode);
        Assert.Contains("MaxPartBytes", await bigPart.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(400, (int)bigUpload.StatusCode);
        Assert.Contains("MaxUploadBytes", await bigUpload.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<string> CreateAsync(HttpClient http, string filename, long bytes)
    {
        using var created = await PostJsonAsync(http, "uploads", $$"""{"filename":"{{filename}}","purpose":"assistants","bytes":{{bytes}},"mime_type":"text/plain"}""");
        Assert.Equal("pending", created.RootElement.GetProperty("status").GetString());
        return created.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<string> AddPartAsync(HttpClient http, string upload, byte[] bytes)
    {
        using var response = await http.PostAsync($"uploads/{upload}/parts", Part(bytes));
        using var part = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("upload.part", part.RootElement.GetProperty("object").GetString());
        return part.RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<JsonDocument> PostJsonAsync(HttpClient http, string path, string body)
    {
        using var response = await http.PostAsync(path, JsonBody.Of(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text);
    }

    private static MultipartFormDataContent Part(byte[] bytes) => new() { { new ByteArrayContent(bytes), "data", "blob" } };
}

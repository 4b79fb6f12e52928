using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

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

    [Fact]
    public async Task Parts_CannotHoldMoreThanTheUploadDeclared()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var upload = await CreateAsync(http, "f.txt", 8);
        await AddPartAsync(http, upload, "hello"u8.ToArray());

        using var tooMuch = await http.PostAsync($"uploads/{upload}/parts", Part("world"u8.ToArray()));
        var error = JsonDocument.Parse(await tooMuch.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

        Assert.Equal(400, (int)tooMuch.StatusCode);
        Assert.Contains("only 3 of the 8 bytes", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(Path.Combine(server.DataDir, "uploads", upload)));
    }

    [Fact]
    public async Task AbandonedUpload_IsExpiredBySweep_AndItsPartsDeleted()
    {
        // The sweep runs on the injected clock, so a slow machine cannot expire the upload before its part is added.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await AgentHostServer.StartAsync(
            b => b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)),
            new()
            {
                ["AgentHost:Files:UploadLifetime"] = "00:01:00",
                ["AgentHost:Files:UploadSweepInterval"] = "00:00:10",
            });
        using var http = server.Http();
        var upload = await CreateAsync(http, "g.txt", 10);
        await AddPartAsync(http, upload, "hello"u8.ToArray());
        var parts = Path.Combine(server.DataDir, "uploads", upload);
        Assert.True(Directory.Exists(parts));

        for (var i = 0; i < 7; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        await Eventually.ReturnsAsync(() => Task.FromResult(Directory.Exists(parts) ? null : "deleted"), _ => true, "the abandoned upload's parts to be deleted");
        using var late = await http.PostAsync($"uploads/{upload}/complete", JsonBody.Of("""{"part_ids":[]}"""));

        Assert.Equal(400, (int)late.StatusCode);
        Assert.Contains("expired", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task DataOnDisk_IsReadableByAgentHostsUserOnly()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var upload = await CreateAsync(http, "h.txt", 5);
        var part = await AddPartAsync(http, upload, "hello"u8.ToArray());
        using var completed = await PostJsonAsync(http, $"uploads/{upload}/complete", $$"""{"part_ids":["{{part}}"]}""");
        var fileId = completed.RootElement.GetProperty("file").GetProperty("id").GetString()!;

        const UnixFileMode readWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        const UnixFileMode userOnlyFolder = readWrite | UnixFileMode.UserExecute;
        const UnixFileMode othersReadWrite = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(server.DataDir) & othersReadWrite);
        if (!TestStore.IsPostgres)
        {
            Assert.Equal(readWrite, File.GetUnixFileMode(Path.Combine(server.DataDir, "agenthost.db")));
        }
        else
        {
            Assert.False(File.Exists(Path.Combine(server.DataDir, "agenthost.db")), "On PostgreSQL no store is left in a node's SQLite file.");
        }

        Assert.Equal(userOnlyFolder, File.GetUnixFileMode(Path.Combine(server.DataDir, "files")));
        Assert.Equal(readWrite, File.GetUnixFileMode(Path.Combine(server.DataDir, "files", fileId)));
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

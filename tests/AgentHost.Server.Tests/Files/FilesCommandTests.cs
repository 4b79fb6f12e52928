using System.Text.Json;
using AgentHost.Server.Files.Cli;
using AgentHost.Server.Tests.Support;

namespace AgentHost.Server.Tests.Files;

public sealed class FilesCommandTests : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("agenthost-cli-upload-").FullName;
    private AgentHostServer server = null!;

    public async Task InitializeAsync() => server = await AgentHostServer.StartAsync();

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private string Origin => server.BaseUri.ToString()[..^"/v1".Length];

    [Fact]
    public async Task UploadFolder_ShowsProgress_AndEndsWithEveryFileCompleted()
    {
        File.WriteAllText(Path.Combine(folder, "tides.md"), "# Tides\nTides rise and fall twice a day because of the moon.");
        File.WriteAllText(Path.Combine(folder, "bread.txt"), "Bread dough rises when yeast ferments its sugars.");
        Directory.CreateDirectory(Path.Combine(folder, "notes"));
        File.WriteAllText(Path.Combine(folder, "notes", "stars.txt"), "Stars are born in clouds of gas and dust.");
        Directory.CreateDirectory(Path.Combine(folder, ".git"));
        File.WriteAllText(Path.Combine(folder, ".git", "HEAD"), "ref: refs/heads/main");
        var output = new StringWriter();

        var exit = await FilesCommand.RunAsync(["upload", folder, "--create-vector-store", "docs", "--url", Origin], output, TimeProvider.System);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(0, exit);
        Assert.Contains(lines, l => l.StartsWith("Uploading 3 file(s)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l == "uploaded [" + new string('#', 30) + "] 3/3");
        Assert.Contains(lines, l => l == "ingested [" + new string('#', 30) + "] 3/3 completed, 0 failed");
        var storeId = lines[^1].Split("vector store ")[1].TrimEnd('.');
        using var http = server.Http();
        using var files = JsonDocument.Parse(await http.GetStringAsync($"vector_stores/{storeId}/files?limit=100"));
        Assert.Equal(3, files.RootElement.GetProperty("data").GetArrayLength());
        Assert.All(files.RootElement.GetProperty("data").EnumerateArray(), f => Assert.Equal("completed", f.GetProperty("status").GetString()));
        using var hits = await VectorStorePolling.PostAsync(http, $"vector_stores/{storeId}/search", """{"query":"moon tides","max_num_results":1}""");
        Assert.Equal("tides.md", hits.RootElement.GetProperty("data")[0].GetProperty("filename").GetString());
    }

    [Fact]
    public async Task AFileThatCannotBeIngested_IsNamedWithItsError_AndTheExitCodeIsOne()
    {
        File.WriteAllText(Path.Combine(folder, "good.txt"), "Rivers carry sediment to the sea.");
        File.WriteAllBytes(Path.Combine(folder, "broken.pdf"), "not a pdf at all"u8.ToArray());
        using var http = server.Http();
        using var store = await VectorStorePolling.PostAsync(http, "vector_stores", """{"name":"mixed"}""");
        var storeId = store.RootElement.GetProperty("id").GetString()!;
        var output = new StringWriter();

        var exit = await FilesCommand.RunAsync(["upload", folder, "--vector-store", storeId, "--url", Origin], output, TimeProvider.System);

        Assert.Equal(1, exit);
        Assert.Contains("ingested [" + new string('#', 30) + "] 1/2 completed, 1 failed", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("failed: " + Path.Combine(folder, "broken.pdf") + ":", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("upload")]
    [InlineData("upload ./docs")]
    [InlineData("upload ./docs --vector-store vs_1 --create-vector-store x")]
    [InlineData("upload ./docs --vector-store vs_1 --bogus 1")]
    public async Task BadArguments_PrintUsage_AndExitWithTwo(string command)
    {
        var output = new StringWriter();

        var exit = await FilesCommand.RunAsync(command.Split(' '), output, TimeProvider.System);

        Assert.Equal(2, exit);
        Assert.Contains("agenthost files upload <folder>", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownVectorStore_IsReportedWithTheApisMessage()
    {
        File.WriteAllText(Path.Combine(folder, "a.txt"), "text");
        var output = new StringWriter();

        var exit = await FilesCommand.RunAsync(["upload", folder, "--vector-store", "vs_missing", "--url", Origin], output, TimeProvider.System);

        Assert.Equal(2, exit);
        Assert.Contains("404", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("vs_missing", output.ToString(), StringComparison.Ordinal);
    }
}

using System.Text;
using System.Text.Json;
using AgentHost.Server.Tests.Support;
using static AgentHost.Server.Tests.Support.VectorStorePolling;

namespace AgentHost.Server.Tests.VectorStores;

public sealed class IngestionAndSearchTests
{
    [Fact]
    public async Task Pptx_IsReadSlideBySlideInOrder_AndSearchFindsItsText()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var deck = TestDocuments.Pptx(["Quarterly review", "Revenue grew in the northern region."], ["Next steps", "Open a warehouse in Tromsø."]);
        var pptx = await UploadAsync(http, "review.pptx", deck);
        var other = await UploadAsync(http, "other.txt", Encoding.UTF8.GetBytes("Bananas are yellow fruit."));
        using var created = await PostAsync(http, "vector_stores", $$"""{"file_ids":["{{pptx}}","{{other}}"]}""");
        var storeId = created.RootElement.GetProperty("id").GetString()!;

        var store = await WaitUntilIngestedAsync(http, storeId);
        using var content = JsonDocument.Parse(await http.GetStringAsync($"vector_stores/{storeId}/files/{pptx}/content"));
        using var hits = await PostAsync(http, $"vector_stores/{storeId}/search", """{"query":"where will the warehouse open","max_num_results":1}""");

        Assert.Equal(2, store.GetProperty("file_counts").GetProperty("completed").GetInt32());
        var text = content.RootElement.GetProperty("data")[0].GetProperty("text").GetString()!;
        Assert.Equal(["Quarterly review", "Revenue grew in the northern region.", "Next steps", "Open a warehouse in Tromsø."],
            text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var top = hits.RootElement.GetProperty("data")[0];
        Assert.Equal(pptx, top.GetProperty("file_id").GetString());
        Assert.Contains("Tromsø", top.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PdfDocxAndMarkdown_AreIngested_AndSearchFindsTheRightFile()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var pdf = await UploadAsync(http, "volcanoes.pdf", TestDocuments.Pdf("Mount Etna is an active stratovolcano on the east coast of Sicily.", "It erupts frequently."));
        var docx = await UploadAsync(http, "bread.docx", TestDocuments.Docx("Sourdough bread rises with a wild yeast starter.", "Bake it at 250 degrees."));
        var md = await UploadAsync(http, "tides.md", Encoding.UTF8.GetBytes("# Tides\n\nOcean tides are caused by the gravitational pull of the Moon."));

        using var created = await PostAsync(http, "vector_stores", $$"""{"name":"docs","file_ids":["{{pdf}}","{{docx}}","{{md}}"]}""");
        var id = created.RootElement.GetProperty("id").GetString()!;
        var store = await WaitUntilIngestedAsync(http, id);
        using var bread = await PostAsync(http, $"vector_stores/{id}/search", """{"query":"wild yeast starter for sourdough","max_num_results":1}""");
        using var moon = await PostAsync(http, $"vector_stores/{id}/search", """{"query":["what causes ocean tides?"],"max_num_results":1}""");
        using var etna = await PostAsync(http, $"vector_stores/{id}/search", """{"query":"Sicily volcano","max_num_results":1}""");

        Assert.Equal("completed", store.GetProperty("status").GetString());
        Assert.Equal(3, store.GetProperty("file_counts").GetProperty("completed").GetInt32());
        Assert.True(store.GetProperty("usage_bytes").GetInt64() > 0);
        Assert.Equal(docx, bread.RootElement.GetProperty("data")[0].GetProperty("file_id").GetString());
        Assert.Contains("wild yeast", bread.RootElement.GetProperty("data")[0].GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(md, moon.RootElement.GetProperty("data")[0].GetProperty("file_id").GetString());
        Assert.Equal(pdf, etna.RootElement.GetProperty("data")[0].GetProperty("file_id").GetString());
        Assert.Equal("volcanoes.pdf", etna.RootElement.GetProperty("data")[0].GetProperty("filename").GetString());
        Assert.Contains("Etna", etna.RootElement.GetProperty("data")[0].GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);

        // Deleting the file takes it out of the store and the index.
        using var deleted = await http.DeleteAsync($"files/{docx}");
        using var afterDelete = await PostAsync(http, $"vector_stores/{id}/search", """{"query":"wild yeast starter for sourdough"}""");
        using var storeAfter = JsonDocument.Parse(await http.GetStringAsync($"vector_stores/{id}"));
        Assert.True(deleted.IsSuccessStatusCode);
        Assert.DoesNotContain(afterDelete.RootElement.GetProperty("data").EnumerateArray(), h => h.GetProperty("file_id").GetString() == docx);
        Assert.Equal(2, storeAfter.RootElement.GetProperty("file_counts").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task UnsupportedAndBrokenFiles_FailWithTheirErrorCodes_WhileTheStoreCompletes()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var binary = await UploadAsync(http, "program.exe", [0x4D, 0x5A, 0x00, 0x01]);
        var broken = await UploadAsync(http, "broken.pdf", Encoding.UTF8.GetBytes("this is not a pdf"));
        var good = await UploadAsync(http, "ok.txt", Encoding.UTF8.GetBytes("plain text is fine"));

        using var created = await PostAsync(http, "vector_stores", $$"""{"file_ids":["{{binary}}","{{broken}}","{{good}}"]}""");
        var id = created.RootElement.GetProperty("id").GetString()!;
        var store = await WaitUntilIngestedAsync(http, id);
        using var binaryFile = JsonDocument.Parse(await http.GetStringAsync($"vector_stores/{id}/files/{binary}"));
        using var brokenFile = JsonDocument.Parse(await http.GetStringAsync($"vector_stores/{id}/files/{broken}"));
        using var failed = JsonDocument.Parse(await http.GetStringAsync($"vector_stores/{id}/files?filter=failed"));

        Assert.Equal("completed", store.GetProperty("status").GetString());
        Assert.Equal(2, store.GetProperty("file_counts").GetProperty("failed").GetInt32());
        Assert.Equal(1, store.GetProperty("file_counts").GetProperty("completed").GetInt32());
        Assert.Equal("failed", binaryFile.RootElement.GetProperty("status").GetString());
        Assert.Equal("unsupported_file", binaryFile.RootElement.GetProperty("last_error").GetProperty("code").GetString());
        Assert.Equal("invalid_file", brokenFile.RootElement.GetProperty("last_error").GetProperty("code").GetString());
        Assert.Equal(2, failed.RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task HtmlBombAndZipBomb_FailTheirFileWithinTheLimits_WhileAnotherFileIngests()
    {
        await using var server = await AgentHostServer.StartAsync(settings: new()
        {
            ["AgentHost:Ingestion:MaxTextChars"] = "1000000",
            ["AgentHost:Ingestion:MaxOfficeExpandedBytes"] = "1048576",
        });
        using var http = server.Http();
        var htmlBomb = await UploadAsync(http, "bomb.html", Encoding.ASCII.GetBytes(new string('<', 10_000_000)));
        var zipBomb = await UploadAsync(http, "bomb.docx", ZipOfZeros(64 * 1024 * 1024));
        var good = await UploadAsync(http, "ok.md", Encoding.UTF8.GetBytes("# Widgets\nThe blue widget weighs four grams."));

        using var created = await PostAsync(http, "vector_stores", $$"""{"file_ids":["{{htmlBomb}}","{{zipBomb}}","{{good}}"]}""");
        var id = created.RootElement.GetProperty("id").GetString()!;
        var store = await WaitUntilIngestedAsync(http, id);
        using var html = JsonDocument.Parse(await http.GetStringAsync($"vector_stores/{id}/files/{htmlBomb}"));
        using var zip = JsonDocument.Parse(await http.GetStringAsync($"vector_stores/{id}/files/{zipBomb}"));

        Assert.Equal(1, store.GetProperty("file_counts").GetProperty("completed").GetInt32());
        Assert.Equal(2, store.GetProperty("file_counts").GetProperty("failed").GetInt32());
        Assert.Contains("MaxTextChars", html.RootElement.GetProperty("last_error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("MaxOfficeExpandedBytes", zip.RootElement.GetProperty("last_error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static byte[] ZipOfZeros(int expandedBytes)
    {
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("word/document.xml", System.IO.Compression.CompressionLevel.SmallestSize).Open();
            entry.Write(new byte[expandedBytes]);
        }

        return buffer.ToArray();
    }

    [Fact]
    public async Task Attributes_FilterSearch_AndUpdatesAreSeen()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var old = await UploadAsync(http, "report-2023.txt", Encoding.UTF8.GetBytes("Annual revenue report: revenue grew modestly."));
        var recent = await UploadAsync(http, "report-2024.txt", Encoding.UTF8.GetBytes("Annual revenue report: revenue doubled."));
        using var created = await PostAsync(http, "vector_stores", "{}");
        var id = created.RootElement.GetProperty("id").GetString()!;
        using var _ = await PostAsync(http, $"vector_stores/{id}/files", $$$"""{"file_id":"{{{old}}}","attributes":{"year":2023,"kind":"report"}}""");
        using var __ = await PostAsync(http, $"vector_stores/{id}/files", $$$"""{"file_id":"{{{recent}}}","attributes":{"year":2024,"kind":"report"}}""");
        await WaitUntilIngestedAsync(http, id);

        using var only2024 = await PostAsync(http, $"vector_stores/{id}/search", """{"query":"annual revenue","filters":{"type":"eq","key":"year","value":2024}}""");
        using var updated = await PostAsync(http, $"vector_stores/{id}/files/{old}", """{"attributes":{"year":2024,"kind":"restated"}}""");
        using var both = await PostAsync(http, $"vector_stores/{id}/search", """{"query":"annual revenue","filters":{"type":"eq","key":"year","value":2024}}""");
        using var restated = await PostAsync(http, $"vector_stores/{id}/search", """{"query":"annual revenue","filters":{"type":"and","filters":[{"type":"eq","key":"kind","value":"restated"},{"type":"gte","key":"year","value":2020}]}}""");

        var hit = Assert.Single(only2024.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal(recent, hit.GetProperty("file_id").GetString());
        Assert.Equal(2024, hit.GetProperty("attributes").GetProperty("year").GetInt32());
        Assert.Equal("restated", updated.RootElement.GetProperty("attributes").GetProperty("kind").GetString());
        Assert.Equal(2, both.RootElement.GetProperty("data").GetArrayLength());
        Assert.Equal(old, Assert.Single(restated.RootElement.GetProperty("data").EnumerateArray()).GetProperty("file_id").GetString());
    }

    [Fact]
    public async Task StaticChunking_IsRecordedOnTheFile_AndFileContentIsTheParsedText()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var file = await UploadAsync(http, "page.html", Encoding.UTF8.GetBytes("<html><head><title>x</title><style>p{}</style></head><body><p>Visible &amp; kept.</p><script>hidden()</script></body></html>"));
        using var created = await PostAsync(http, "vector_stores",
            $$$$"""{"file_ids":["{{{{file}}}}"],"chunking_strategy":{"type":"static","static":{"max_chunk_size_tokens":200,"chunk_overlap_tokens":100}}}""");
        var id = created.RootElement.GetProperty("id").GetString()!;
        await WaitUntilIngestedAsync(http, id);

        using var stored = JsonDocument.Parse(await http.GetStringAsync($"vector_stores/{id}/files/{file}"));
        using var content = JsonDocument.Parse(await http.GetStringAsync($"vector_stores/{id}/files/{file}/content"));

        var chunking = stored.RootElement.GetProperty("chunking_strategy");
        Assert.Equal("static", chunking.GetProperty("type").GetString());
        Assert.Equal(200, chunking.GetProperty("static").GetProperty("max_chunk_size_tokens").GetInt32());
        Assert.Equal(100, chunking.GetProperty("static").GetProperty("chunk_overlap_tokens").GetInt32());
        var text = content.RootElement.GetProperty("data")[0].GetProperty("text").GetString();
        Assert.Equal("Visible & kept.", text);
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using AgentHost.Server.Tests.Conformance;
using AgentHost.Server.Tests.Support;
using OpenAI.Assistants;
using OpenAI.Files;
using OpenAI.VectorStores;
using static AgentHost.Server.Tests.Support.VectorStorePolling;

namespace AgentHost.Server.Tests.FileSearch;

/// <summary><c>tool_resources.file_search.vector_stores</c>: the helper that creates a store inline, as in the recorded FileSearchWorks flow.</summary>
public sealed class InlineVectorStoreTests
{
    private const string Foods = "This file describes the favorite foods of several people.\n\nSummanus Ferdinand: tacos\nTekakwitha Effie: pizza\nFilip Carola: cake\n";
    private const string Marker = "【0:0†favorite_foods.txt】";

    [Fact]
    public async Task HelperStoresOnAssistantAndThread_AreCreatedIngestedAndSearched_AndTheAnswerIsCited()
    {
        await using var server = await AgentHostServer.StartAsync();
        OpenAIFile file = await server.Files().UploadFileAsync(BinaryData.FromString(Foods), "favorite_foods.txt", FileUploadPurpose.Assistants);
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions
        {
            Tools = { new FileSearchToolDefinition { MaxResults = 2 } },
            ToolResources = new ToolResources { FileSearch = new FileSearchToolResources { NewVectorStores = { new VectorStoreCreationHelper([file.Id]) } } },
        });
        AssistantThread thread = await client.CreateThreadAsync(new ThreadCreationOptions
        {
            InitialMessages = { "Using the files you have available, what's Filip's favorite food?" },
            ToolResources = new ToolResources
            {
                FileSearch = new FileSearchToolResources
                {
                    NewVectorStores = { new VectorStoreCreationHelper([file.Id]) { Metadata = { ["owner"] = "filip" } } },
                },
            },
        });
        var assistantStoreId = Assert.Single(assistant.ToolResources.FileSearch.VectorStoreIds);
        var threadStoreId = Assert.Single(thread.ToolResources.FileSearch.VectorStoreIds);
        using var http = server.Http();
        var assistantStore = await WaitUntilIngestedAsync(http, assistantStoreId);
        var threadStore = await WaitUntilIngestedAsync(http, threadStoreId);
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_food", "file_search", """{"queries":["Filip favorite food"]}""")),
            ScriptedTurn.Say($"Filip's favorite food is cake{Marker}."));

        ThreadRun run = await client.WaitAsync(await client.CreateRunAsync(thread.Id, assistant.Id));
        var answer = (await client.GetMessagesAsync(thread.Id, new MessageCollectionOptions { Order = MessageCollectionOrder.Descending }).ToListAsync())[0];
        var call = (await client.GetRunStepsAsync(thread.Id, run.Id).ToListAsync()).Single(s => s.Kind == RunStepKind.ToolCall).Details.ToolCalls.Single();

        Assert.NotEqual(assistantStoreId, threadStoreId);
        Assert.Equal(1, assistantStore.GetProperty("file_counts").GetProperty("completed").GetInt32());
        Assert.Equal(1, threadStore.GetProperty("file_counts").GetProperty("completed").GetInt32());
        Assert.Equal("filip", threadStore.GetProperty("metadata").GetProperty("owner").GetString());
        Assert.Equal(RunStatus.Completed, run.Status);
        var citation = Assert.Single(answer.Content[0].TextAnnotations);
        Assert.Equal(file.Id, citation.InputFileId);
        Assert.Equal(Marker, citation.TextToReplace);
        Assert.All(call.FileSearchResults, r => Assert.Equal(file.Id, r.FileId));
        var toolMessage = server.Upstream.Requests.ToArray()[1]["messages"]!.AsArray().Last(m => (string?)m!["role"] == "tool")!;
        Assert.Contains("Filip Carola: cake", (string?)toolMessage["content"], StringComparison.Ordinal);
    }

    [SharedFact]
    public async Task RecordedFileSearchWorksRequests_AnswerInTheRecordedShape()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var fileId = await UploadAsync(http, "favorite_foods.txt", Encoding.UTF8.GetBytes(Foods));
        var recorded = RecordedExchanges.Load("AssistantsTests", "FileSearchWorks");

        foreach (var path in new[] { "/v1/assistants", "/v1/threads" })
        {
            var exchange = recorded.First(e => e.RequestMethod == "POST" && e.RequestUri.AbsolutePath == path && e.RequestBody.GetRawText().Contains("vector_stores", StringComparison.Ordinal));
            var recordedFileId = exchange.RequestBody.GetProperty("tool_resources").GetProperty("file_search").GetProperty("vector_stores")[0].GetProperty("file_ids")[0].GetString()!;
            using var live = await PostAsync(http, path[4..], exchange.RequestBody.GetRawText().Replace(recordedFileId, fileId, StringComparison.Ordinal));

            JsonShape.AssertSameShape(exchange.ResponseBody, live.RootElement);
            var storeId = live.RootElement.GetProperty("tool_resources").GetProperty("file_search").GetProperty("vector_store_ids")[0].GetString()!;
            var store = await WaitUntilIngestedAsync(http, storeId);
            Assert.Equal("completed", store.GetProperty("status").GetString());
            Assert.Equal(1, store.GetProperty("file_counts").GetProperty("completed").GetInt32());
        }
    }

    [Fact]
    public async Task BadHelperRequests_AreRefused_AndWriteNothing()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var fileId = await UploadAsync(http, "notes.txt", Encoding.UTF8.GetBytes("Some notes."));

        var both = await ErrorAsync(http, "assistants",
            """{"model":"gpt-4o","tool_resources":{"file_search":{"vector_store_ids":["vs_x"],"vector_stores":[{"file_ids":["FILE_ID"]}]}}}""".Replace("FILE_ID", fileId, StringComparison.Ordinal));
        var two = await ErrorAsync(http, "threads", """{"tool_resources":{"file_search":{"vector_stores":[{"file_ids":["FILE_ID"]},{"file_ids":["FILE_ID"]}]}}}""".Replace("FILE_ID", fileId, StringComparison.Ordinal));
        var chunking = await ErrorAsync(http, "threads",
            """{"tool_resources":{"file_search":{"vector_stores":[{"file_ids":["FILE_ID"],"chunking_strategy":{"type":"static","static":{"max_chunk_size_tokens":50,"chunk_overlap_tokens":0}}}]}}}""".Replace("FILE_ID", fileId, StringComparison.Ordinal));
        var unknownField = await ErrorAsync(http, "threads", """{"tool_resources":{"file_search":{"vector_stores":[{"file_ids":["FILE_ID"],"name":"x"}]}}}""".Replace("FILE_ID", fileId, StringComparison.Ordinal));
        var unknownFile = await ErrorAsync(http, "assistants", """{"model":"gpt-4o","tool_resources":{"file_search":{"vector_stores":[{"file_ids":["file-missing"]}]}}}""");
        // The store is created before the run is refused for its unknown assistant, and must be deleted again.
        var unknownAssistant = await ErrorAsync(http, "threads/runs",
            """{"assistant_id":"asst_missing","thread":{"tool_resources":{"file_search":{"vector_stores":[{"file_ids":["FILE_ID"]}]}}}}""".Replace("FILE_ID", fileId, StringComparison.Ordinal));

        Assert.Equal((HttpStatusCode.BadRequest, "tool_resources.file_search.vector_stores"), both);
        Assert.Equal((HttpStatusCode.BadRequest, "tool_resources.file_search.vector_stores"), two);
        Assert.Equal((HttpStatusCode.BadRequest, "tool_resources.file_search.vector_stores[0].chunking_strategy.static.max_chunk_size_tokens"), chunking);
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknownFile.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknownAssistant.Status);
        using var stores = JsonDocument.Parse(await http.GetStringAsync("vector_stores"));
        using var assistants = JsonDocument.Parse(await http.GetStringAsync("assistants"));
        Assert.Empty(stores.RootElement.GetProperty("data").EnumerateArray());
        Assert.Empty(assistants.RootElement.GetProperty("data").EnumerateArray());
    }

    private static async Task<(HttpStatusCode Status, string? Param)> ErrorAsync(HttpClient http, string path, string body)
    {
        using var response = await http.PostAsync(path, JsonBody.Of(body));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, error.RootElement.GetProperty("error").GetProperty("param").GetString());
    }
}

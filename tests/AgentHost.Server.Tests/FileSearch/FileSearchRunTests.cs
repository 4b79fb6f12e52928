using System.Text;
using System.Text.Json;
using AgentHost.Server.Tests.Conformance;
using AgentHost.Core.Storage;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Assistants;
using OpenAI.Files;
using OpenAI.VectorStores;
using Domain = AgentHost.Core.Domain;

namespace AgentHost.Server.Tests.FileSearch;

public sealed class FileSearchRunTests
{
    private const string BreadMarker = "【0:0†bread.docx】";

    [Fact]
    public async Task FileSearchRun_OverPdfDocxAndMarkdown_CitesTheRightFileAndShowsTheRetrievedChunks()
    {
        await using var server = await AgentHostServer.StartAsync();
        var files = server.Files();
        OpenAIFile pdf = await files.UploadFileAsync(new MemoryStream(TestDocuments.Pdf("Mount Etna is an active stratovolcano in Sicily.")), "volcanoes.pdf", FileUploadPurpose.Assistants);
        OpenAIFile docx = await files.UploadFileAsync(new MemoryStream(TestDocuments.Docx("Sourdough bread rises with a wild yeast starter.")), "bread.docx", FileUploadPurpose.Assistants);
        OpenAIFile md = await files.UploadFileAsync(BinaryData.FromString("# Tides\n\nOcean tides are caused by the pull of the Moon."), "tides.md", FileUploadPurpose.Assistants);
        var stores = server.VectorStores();
        VectorStore store = await stores.CreateVectorStoreAsync(new VectorStoreCreationOptions { FileIds = { pdf.Id, docx.Id, md.Id } });
        store = await WaitForIngestionAsync(stores, store);
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions
        {
            Tools = { new FileSearchToolDefinition { MaxResults = 2 } },
            ToolResources = new ToolResources { FileSearch = new FileSearchToolResources { VectorStoreIds = { store.Id } } },
        });
        AssistantThread thread = await client.CreateThreadAsync(new ThreadCreationOptions { InitialMessages = { "How does sourdough rise?" } });
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_fs", "file_search", """{"queries":["sourdough rising wild yeast starter","how bread is leavened"]}""")),
            ScriptedTurn.Say($"It rises with a wild yeast starter{BreadMarker}."));

        ThreadRun run = await client.CreateRunAsync(thread.Id, assistant.Id);
        run = await client.WaitAsync(run);
        var answer = (await client.GetMessagesAsync(thread.Id, new MessageCollectionOptions { Order = MessageCollectionOrder.Descending }).ToListAsync())[0];
        var steps = await client.GetRunStepsAsync(thread.Id, run.Id).ToListAsync();

        Assert.Equal(RunStatus.Completed, run.Status);
        var text = answer.Content[0].Text;
        var citation = Assert.Single(answer.Content[0].TextAnnotations);
        Assert.Equal(docx.Id, citation.InputFileId);
        Assert.Equal(BreadMarker, citation.TextToReplace);
        Assert.Equal(text.IndexOf('【', StringComparison.Ordinal), citation.StartIndex);
        Assert.Equal(citation.StartIndex + BreadMarker.Length, citation.EndIndex);
        var call = Assert.Single(steps, s => s.Kind == RunStepKind.ToolCall).Details.ToolCalls.Single();
        Assert.Equal("call_fs", call.Id);
        var top = call.FileSearchResults[0];
        Assert.Equal(docx.Id, top.FileId);
        Assert.Equal("bread.docx", top.FileName);
        Assert.InRange(top.Score, 0.0, 1.0);
        Assert.Contains("wild yeast", top.Content[0].Text, StringComparison.Ordinal);
        Assert.Equal(2, call.FileSearchResults.Count);

        // The model read the chunks under their markers, and was offered file_search with a queries parameter.
        var requests = server.Upstream.Requests.ToArray();
        Assert.Contains("\"queries\"", requests[0]["tools"]!.ToJsonString(), StringComparison.Ordinal);
        var toolMessage = requests[1]["messages"]!.AsArray().Last(m => (string?)m!["role"] == "tool")!;
        Assert.Contains(BreadMarker, (string?)toolMessage["content"], StringComparison.Ordinal);
        Assert.Contains("wild yeast starter", (string?)toolMessage["content"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileAttachedToAMessage_GoesIntoAThreadStore_AndIsCited()
    {
        await using var server = await AgentHostServer.StartAsync();
        OpenAIFile md = await server.Files().UploadFileAsync(BinaryData.FromString("Ocean tides are caused by the gravitational pull of the Moon."), "tides.md", FileUploadPurpose.Assistants);
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Tools = { new FileSearchToolDefinition() } });
        AssistantThread thread = await client.CreateThreadAsync(new ThreadCreationOptions
        {
            InitialMessages = { new ThreadInitializationMessage(MessageRole.User, ["What causes tides?"]) { Attachments = { new MessageCreationAttachment(md.Id, [new FileSearchToolDefinition()]) } } },
        });
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_tides", "file_search", """{"queries":["what causes ocean tides"]}""")),
            ScriptedTurn.Say("The Moon's pull【0:0†tides.md】."));

        ThreadRun run = await client.WaitAsync(await client.CreateRunAsync(thread.Id, assistant.Id));
        AssistantThread after = await client.GetThreadAsync(thread.Id);
        var answer = (await client.GetMessagesAsync(thread.Id, new MessageCollectionOptions { Order = MessageCollectionOrder.Descending }).ToListAsync())[0];
        var storeId = Assert.Single(after.ToolResources.FileSearch.VectorStoreIds);
        VectorStore threadStore = await server.VectorStores().GetVectorStoreAsync(storeId);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(md.Id, Assert.Single(answer.Content[0].TextAnnotations).InputFileId);
        Assert.Equal(1, threadStore.FileCounts.Completed);
        Assert.Equal(7, threadStore.ExpirationPolicy.Days);
        Assert.Equal(thread.Id, threadStore.Metadata["agenthost_thread_id"]);
    }

    [Fact]
    public async Task FileAttachedToTheFirstOfManyMessages_IsStillSearched_ThoughTheRunReadsOnlyTheLastFew()
    {
        await using var server = await AgentHostServer.StartAsync();
        OpenAIFile md = await server.Files().UploadFileAsync(BinaryData.FromString("Ocean tides are caused by the gravitational pull of the Moon."), "tides.md", FileUploadPurpose.Assistants);
        var client = server.Assistants();
        Assistant assistant = await client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Tools = { new FileSearchToolDefinition() } });
        var thread = new Domain.AssistantThread { Id = Domain.IdGenerator.Thread(), CreatedAt = 1 };
        var messages = Enumerable.Range(0, 2_000).Select(i => new Domain.ThreadMessage
        {
            Id = Domain.IdGenerator.Message(), CreatedAt = 1 + i, ThreadId = thread.Id, Role = Domain.MessageRoles.User, Content = [Domain.MessageContent.FromText($"message {i}")],
            Attachments = i == 0 ? [new Domain.MessageAttachment { FileId = md.Id, Tools = [new Domain.ToolDefinition { Type = Domain.ToolTypes.FileSearch }] }] : [],
        }).ToList();
        await server.Services.GetRequiredService<IAgentStore>().CreateThreadAsync(thread, messages, CancellationToken.None);
        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_tides", "file_search", """{"queries":["what causes ocean tides"]}""")),
            ScriptedTurn.Say("The Moon's pull【0:0†tides.md】."));

        ThreadRun run = await client.WaitAsync(await client.CreateRunAsync(thread.Id, assistant.Id, new RunCreationOptions
        {
            TruncationStrategy = RunTruncationStrategy.CreateLastMessagesStrategy(3),
        }));
        var answer = (await client.GetMessagesAsync(thread.Id, new MessageCollectionOptions { Order = MessageCollectionOrder.Descending }).ToListAsync())[0];

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(md.Id, Assert.Single(answer.Content[0].TextAnnotations).InputFileId);
        var requests = server.Upstream.Requests.ToArray();
        Assert.DoesNotContain("message 0\"", requests[0]["messages"]!.ToJsonString(), StringComparison.Ordinal);
        var toolMessage = requests[1]["messages"]!.AsArray().Last(m => (string?)m!["role"] == "tool")!;
        Assert.Contains("gravitational pull of the Moon", (string?)toolMessage["content"], StringComparison.Ordinal);
    }

    [SharedFact]
    public async Task StepContent_IsShownOnlyWhenIncluded_AndRankingOptionsAreRecorded()
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var file = await VectorStorePolling.UploadAsync(http, "notes.txt", Encoding.UTF8.GetBytes("The launch code is swordfish."));
        using var store = await VectorStorePolling.PostAsync(http, "vector_stores", $$"""{"file_ids":["{{file}}"]}""");
        var storeId = store.RootElement.GetProperty("id").GetString()!;
        await VectorStorePolling.WaitUntilIngestedAsync(http, storeId);
        using var assistant = await VectorStorePolling.PostAsync(http, "assistants",
            """{"model":"gpt-4o","tools":[{"type":"file_search","file_search":{"ranking_options":{"score_threshold":0.0,"hybrid_search":{"embedding_weight":1,"text_weight":1}}}}],"""
            + "\"tool_resources\":{\"file_search\":{\"vector_store_ids\":[\"" + storeId + "\"]}}}");
        server.Upstream.Enqueue(ScriptedTurn.Call(("call_code", "file_search", """{"queries":["launch code"]}""")), ScriptedTurn.Say("swordfish【0:0†notes.txt】"));
        using var thread = await VectorStorePolling.PostAsync(http, "threads", """{"messages":[{"role":"user","content":"What is the launch code?"}]}""");
        var threadId = thread.RootElement.GetProperty("id").GetString()!;
        using var created = await VectorStorePolling.PostAsync(http, $"threads/{threadId}/runs?include[]={Uri.EscapeDataString("step_details.tool_calls[*].file_search.results[*].content")}",
            $$"""{"assistant_id":"{{assistant.RootElement.GetProperty("id").GetString()}}"}""");
        var runId = created.RootElement.GetProperty("id").GetString()!;
        await server.Assistants().WaitAsync(await server.Assistants().GetRunAsync(threadId, runId));

        using var plain = JsonDocument.Parse(await http.GetStringAsync($"threads/{threadId}/runs/{runId}/steps"));
        using var included = JsonDocument.Parse(await http.GetStringAsync($"threads/{threadId}/runs/{runId}/steps?include[]={Uri.EscapeDataString("step_details.tool_calls[*].file_search.results[*].content")}"));

        var plainSearch = ToolStep(plain).GetProperty("file_search");
        var includedSearch = ToolStep(included).GetProperty("file_search");
        Assert.False(plainSearch.GetProperty("results")[0].TryGetProperty("content", out _));
        Assert.False(plainSearch.TryGetProperty("queries", out _));
        Assert.Equal("The launch code is swordfish.", includedSearch.GetProperty("results")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("default_2024_08_21", includedSearch.GetProperty("ranking_options").GetProperty("ranker").GetString());
        Assert.Equal(0.0, includedSearch.GetProperty("ranking_options").GetProperty("score_threshold").GetDouble());
        using var messages = JsonDocument.Parse(await http.GetStringAsync($"threads/{threadId}/messages?order=desc"));
        var stepId = included.RootElement.GetProperty("data").EnumerateArray().Single(s => s.GetProperty("type").GetString() == "tool_calls").GetProperty("id").GetString();
        using var step = JsonDocument.Parse(await http.GetStringAsync($"threads/{threadId}/runs/{runId}/steps/{stepId}?include[]={Uri.EscapeDataString("step_details.tool_calls[*].file_search.results[*].content")}"));
        OpenApiSchemaValidator.AssertValidAsRecorded(step.RootElement, "RunStepObject");
        OpenApiSchemaValidator.AssertValidAsRecorded(messages.RootElement, "ListMessagesResponse");
        var recorded = RecordedExchanges.Load("AssistantsTests", "FileSearchWorks");
        var recordedStep = recorded.Last(e => e.RequestUri.AbsolutePath.Contains("/steps/", StringComparison.Ordinal)).ResponseBody;
        var recordedAnswer = recorded.Last(e => e.RequestUri.AbsolutePath.EndsWith("/messages", StringComparison.Ordinal)).ResponseBody.GetProperty("data")[0];
        JsonShape.AssertSameShape(recordedStep.GetProperty("step_details").GetProperty("tool_calls")[0], step.RootElement.GetProperty("step_details").GetProperty("tool_calls")[0]);
        JsonShape.AssertSameShape(recordedAnswer.GetProperty("content")[0], messages.RootElement.GetProperty("data")[0].GetProperty("content")[0]);

        var echoed = assistant.RootElement.GetProperty("tools")[0].GetProperty("file_search").GetProperty("ranking_options");
        Assert.Equal("default_2024_08_21", echoed.GetProperty("ranker").GetString());
        Assert.Equal(1, echoed.GetProperty("hybrid_search").GetProperty("text_weight").GetDouble());
    }

    private static JsonElement ToolStep(JsonDocument steps) =>
        steps.RootElement.GetProperty("data").EnumerateArray().Single(s => s.GetProperty("type").GetString() == "tool_calls")
            .GetProperty("step_details").GetProperty("tool_calls")[0];

    private static async Task<VectorStore> WaitForIngestionAsync(VectorStoreClient stores, VectorStore store)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (store.FileCounts.InProgress > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            store = await stores.GetVectorStoreAsync(store.Id);
        }

        return store;
    }
}

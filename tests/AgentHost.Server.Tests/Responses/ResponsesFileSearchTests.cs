using AgentHost.Server.Tests.Support;
using OpenAI.Files;
using OpenAI.Responses;
using OpenAI.VectorStores;

namespace AgentHost.Server.Tests.Responses;

/// <summary>The <c>file_search</c> tool on responses, over AgentHost's vector stores, through the SDK's <see cref="ResponsesClient"/>.</summary>
public sealed class ResponsesFileSearchTests
{
    [Theory]
    [InlineData(CompatClients.Gpt)]
    [InlineData(CompatClients.Claude)]
    public async Task FileSearch_CitesTheFile_AndShowsResultsOnlyWhenIncluded(string model)
    {
        await using var server = await AgentHostServer.StartAsync();
        OpenAIFile file = await server.Files().UploadFileAsync(BinaryData.FromString("Travis's favorite food is pizza."), "test_favorite_foods.txt", FileUploadPurpose.UserData);
        var stores = server.VectorStores();
        VectorStore store = await stores.CreateVectorStoreAsync(new VectorStoreCreationOptions { FileIds = { file.Id } });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (store.FileCounts.InProgress > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            store = await stores.GetVectorStoreAsync(store.Id);
        }

        server.Upstream.Enqueue(
            ScriptedTurn.Call(("call_fs", "file_search", """{"queries":["Travis favorite food"]}""")),
            ScriptedTurn.Say("Travis's favorite food is pizza.【0:0†test_favorite_foods.txt】"));
        var client = server.Responses();

        ResponseResult response = await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = model,
            InputItems = { ResponseItem.CreateUserMessageItem("Using the file search tool, what's Travis's favorite food?") },
            Tools = { ResponseTool.CreateFileSearchTool([store.Id]) },
            IncludedProperties = { IncludedResponseProperty.FileSearchCallResults },
        });

        Assert.Equal(2, response.OutputItems.Count);
        var call = Assert.IsAssignableFrom<FileSearchCallResponseItem>(response.OutputItems[0]);
        Assert.Equal(FileSearchCallStatus.Completed, call.Status);
        Assert.Equal(["Travis favorite food"], call.Queries);
        Assert.Equal(file.Id, call.Results[0].FileId);
        Assert.Contains("pizza", call.Results[0].Text, StringComparison.Ordinal);
        var part = Assert.IsAssignableFrom<MessageResponseItem>(response.OutputItems[1]).Content[0];
        Assert.Equal("Travis's favorite food is pizza.", part.Text);
        var citation = Assert.IsType<FileCitationMessageAnnotation>(Assert.Single(part.OutputTextAnnotations));
        Assert.Equal(file.Id, citation.FileId);
        Assert.Equal("test_favorite_foods.txt", citation.Filename);
        Assert.Equal(part.Text.Length, citation.Index);
        Assert.Contains("pizza", server.Upstream.Requests.Last().ToJsonString(), StringComparison.Ordinal);

        ResponseResult fetched = await client.GetResponseAsync(response.Id);
        Assert.True(Assert.IsAssignableFrom<FileSearchCallResponseItem>(fetched.OutputItems[0]).Results is null or { Count: 0 });
    }
}

using System.Text.Json;
using AgentHost.Server.Tests.Support;
using OpenAI.Files;
using OpenAI.Responses;

namespace AgentHost.Server.Tests.Responses;

/// <summary>Files in a response's input reach the model as their content: a PDF or document by <c>file_id</c> as its extracted text, an image as an image.</summary>
public sealed class ResponsesInputFileTests
{
    [Theory]
    [InlineData(CompatClients.Gpt)]
    [InlineData(CompatClients.Claude)]
    public async Task InputFileById_ReachesTheModelAsItsText(string model)
    {
        await using var server = await AgentHostServer.StartAsync();
        var files = server.Files();
        OpenAIFile pdf = await files.UploadFileAsync(BinaryData.FromBytes(TestDocuments.Pdf("The launch code is AZURE-42.")), "memo.pdf", FileUploadPurpose.UserData);
        OpenAIFile docx = await files.UploadFileAsync(BinaryData.FromBytes(TestDocuments.Docx("Budget: 9000 euros.")), "plan.docx", FileUploadPurpose.UserData);
        server.Upstream.Enqueue(ScriptedTurn.Say("AZURE-42 and 9000 euros."));

        ResponseResult response = await server.Responses().CreateResponseAsync(new CreateResponseOptions
        {
            Model = model,
            InputItems =
            {
                ResponseItem.CreateUserMessageItem(
                [
                    ResponseContentPart.CreateInputTextPart("What do the files say?"),
                    ResponseContentPart.CreateInputFilePart(pdf.Id),
                    ResponseContentPart.CreateInputFilePart(docx.Id),
                ]),
            },
        });

        Assert.Equal(ResponseStatus.Completed, response.Status);
        var sent = server.Upstream.Requests.Last().ToJsonString();
        Assert.Contains("AZURE-42", sent, StringComparison.Ordinal);
        Assert.Contains("[file memo.pdf]", sent, StringComparison.Ordinal);
        Assert.Contains("Budget: 9000 euros.", sent, StringComparison.Ordinal);

        // The stored input keeps the file reference as given.
        using var http = server.Http();
        var items = JsonDocument.Parse(await http.GetStringAsync($"responses/{response.Id}/input_items")).RootElement;
        var parts = items.GetProperty("data")[0].GetProperty("content");
        Assert.Equal(pdf.Id, parts[1].GetProperty("file_id").GetString());
    }

    [Fact]
    public async Task InputFile_DeletedAfterItsResponse_TellsTheModelOfALaterTurnInsteadOfFailing()
    {
        await using var server = await AgentHostServer.StartAsync();
        var files = server.Files();
        OpenAIFile note = await files.UploadFileAsync(BinaryData.FromString("gone soon"), "note.txt", FileUploadPurpose.UserData);
        server.Upstream.Enqueue(ScriptedTurn.Say("It says gone soon."), ScriptedTurn.Say("The file is gone."));
        ResponseResult first = await server.Responses().CreateResponseAsync(new CreateResponseOptions
        {
            Model = CompatClients.Gpt,
            InputItems = { ResponseItem.CreateUserMessageItem([ResponseContentPart.CreateInputTextPart("Read it."), ResponseContentPart.CreateInputFilePart(note.Id)]) },
        });
        await files.DeleteFileAsync(note.Id);

        ResponseResult response = await server.Responses().CreateResponseAsync(new CreateResponseOptions
        {
            Model = CompatClients.Gpt,
            PreviousResponseId = first.Id,
            InputItems = { ResponseItem.CreateUserMessageItem("And now?") },
        });

        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Contains($"[file {note.Id}: no such file", server.Upstream.Requests.Last().ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("input_file")]
    [InlineData("input_image")]
    public async Task UnknownFileId_IsRefusedAtCreate_With404NamingThePart_AndNothingIsStored(string partType)
    {
        await using var server = await AgentHostServer.StartAsync();
        using var http = server.Http();
        var conversation = JsonDocument.Parse(await (await http.PostAsync("conversations", JsonBody.Of("{}"))).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();

        using var refused = await http.PostAsync("responses", JsonBody.Of($$$"""
            {"model":"gpt-4o","conversation":"{{{conversation}}}","input":[{"role":"user","content":[{"type":"input_text","text":"Read it."},{"type":"{{{partType}}}","file_id":"file-doesnotexist"}]}]}
            """));

        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("No such File object: file-doesnotexist", error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("input[0].content[1].file_id", error.GetProperty("param").GetString());
        Assert.Empty(server.Upstream.Requests);
        var items = JsonDocument.Parse(await http.GetStringAsync($"conversations/{conversation}/items")).RootElement;
        Assert.Equal(0, items.GetProperty("data").GetArrayLength());
    }
}

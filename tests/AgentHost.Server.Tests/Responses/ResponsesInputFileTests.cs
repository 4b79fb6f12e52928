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
    public async Task InputFile_DeletedFile_TellsTheModelInsteadOfFailing()
    {
        await using var server = await AgentHostServer.StartAsync();
        var files = server.Files();
        OpenAIFile note = await files.UploadFileAsync(BinaryData.FromString("gone soon"), "note.txt", FileUploadPurpose.UserData);
        await files.DeleteFileAsync(note.Id);
        server.Upstream.Enqueue(ScriptedTurn.Say("The file is gone."));

        ResponseResult response = await server.Responses().CreateResponseAsync(new CreateResponseOptions
        {
            Model = CompatClients.Gpt,
            InputItems = { ResponseItem.CreateUserMessageItem([ResponseContentPart.CreateInputTextPart("Read it."), ResponseContentPart.CreateInputFilePart(note.Id)]) },
        });

        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Contains($"[file {note.Id}: no such file", server.Upstream.Requests.Last().ToJsonString(), StringComparison.Ordinal);
    }
}

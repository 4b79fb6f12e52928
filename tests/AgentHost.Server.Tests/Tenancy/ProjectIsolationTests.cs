using System.ClientModel;
using System.Net;
using AgentHost.Server.Tests.Support;
using OpenAI.Assistants;
using OpenAI.Files;
using OpenAI.VectorStores;

namespace AgentHost.Server.Tests.Tenancy;

/// <summary>Two projects through the official OpenAI SDK: B's key finds none of A's objects, by id or in a list.</summary>
public sealed class ProjectIsolationTests
{
    [Fact]
    public async Task AnotherProjectsIds_Answer404_AndItsObjectsAreInNoList()
    {
        await using var server = await AgentHostServer.StartAsync(settings: TenancyAdmin.Settings(apiKey: "sk-default-project"));
        using var admin = new TenancyAdmin(server);
        var (_, keyA) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("A"));
        var (_, keyB) = await admin.CreateKeyAsync(await admin.CreateProjectAsync("B"));
        var a = server.Assistants(keyA);
        var b = server.Assistants(keyB);
        server.Upstream.Enqueue(ScriptedTurn.Say("Hello from A."));

        // Project A: an assistant, a thread with a run (executed in the background), a file and a vector store.
        Assistant assistant = await a.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Name = "A's" });
        ThreadRun run = await a.WaitAsync(await a.CreateThreadAndRunAsync(assistant.Id, new ThreadCreationOptions { InitialMessages = { "hi" } }));
        var messages = await a.GetMessagesAsync(run.ThreadId).ToListAsync();
        var steps = await a.GetRunStepsAsync(run.ThreadId, run.Id).ToListAsync();
        OpenAIFile file = await Files(server, keyA).UploadFileAsync(BinaryData.FromString("A's notes"), "notes.txt", FileUploadPurpose.Assistants);
        VectorStore store = await VectorStores(server, keyA).CreateVectorStoreAsync(new VectorStoreCreationOptions { Name = "A's store" });
        Assistant defaultsAssistant = await server.Assistants("sk-default-project").CreateAssistantAsync("gpt-4o");

        // Project B asks for each of them.
        var refusals = new List<(string What, Func<Task> Call)>
        {
            ("assistant", () => b.GetAssistantAsync(assistant.Id)),
            ("default project's assistant", () => b.GetAssistantAsync(defaultsAssistant.Id)),
            ("modify assistant", () => b.ModifyAssistantAsync(assistant.Id, new AssistantModificationOptions { Name = "taken" })),
            ("delete assistant", () => b.DeleteAssistantAsync(assistant.Id)),
            ("thread", () => b.GetThreadAsync(run.ThreadId)),
            ("delete thread", () => b.DeleteThreadAsync(run.ThreadId)),
            ("message", () => b.GetMessageAsync(run.ThreadId, messages[0].Id)),
            ("add message", () => b.CreateMessageAsync(run.ThreadId, MessageRole.User, ["intrude"])),
            ("run", () => b.GetRunAsync(run.ThreadId, run.Id)),
            ("new run on A's thread", () => b.CreateRunAsync(run.ThreadId, assistant.Id)),
            ("run step", () => b.GetRunStepAsync(run.ThreadId, run.Id, steps[0].Id)),
            ("file", () => Files(server, keyB).GetFileAsync(file.Id)),
            ("file content", () => Files(server, keyB).DownloadFileAsync(file.Id)),
            ("delete file", () => Files(server, keyB).DeleteFileAsync(file.Id)),
            ("vector store", () => VectorStores(server, keyB).GetVectorStoreAsync(store.Id)),
            ("delete vector store", () => VectorStores(server, keyB).DeleteVectorStoreAsync(store.Id)),
            ("add file to A's vector store", () => VectorStores(server, keyB).AddFileToVectorStoreAsync(store.Id, file.Id)),
        };
        var statuses = new List<string>();
        foreach (var (what, call) in refusals)
        {
            var refused = await Assert.ThrowsAsync<ClientResultException>(call);
            statuses.Add($"{what}: {refused.Status}");
        }

        var bAssistants = await b.GetAssistantsAsync().ToListAsync();
        var bFiles = (await Files(server, keyB).GetFilesAsync()).Value;
        var bStores = await VectorStores(server, keyB).GetVectorStoresAsync().ToListAsync();
        var bMessages = await Assert.ThrowsAsync<ClientResultException>(() => b.GetMessagesAsync(run.ThreadId).ToListAsync().AsTask());

        Assert.All(statuses, s => Assert.EndsWith(": 404", s, StringComparison.Ordinal));
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Contains(messages, m => m.Role == MessageRole.Assistant && m.Content[0].Text == "Hello from A.");
        Assert.Empty(bAssistants);
        Assert.Empty(bFiles);
        Assert.Empty(bStores);
        Assert.Equal(404, bMessages.Status);

        // A still has everything B tried to change, and its lists are its own.
        Assert.Equal("A's", (await a.GetAssistantAsync(assistant.Id)).Value.Name);
        Assert.Equal(2, (await a.GetMessagesAsync(run.ThreadId).ToListAsync()).Count);
        Assert.Equal([assistant.Id], (await a.GetAssistantsAsync().ToListAsync()).Select(x => x.Id));
        Assert.Equal(file.Id, (await Files(server, keyA).GetFileAsync(file.Id)).Value.Id);
        Assert.Equal(store.Id, (await VectorStores(server, keyA).GetVectorStoreAsync(store.Id)).Value.Id);
        Assert.Equal([defaultsAssistant.Id], (await server.Assistants("sk-default-project").GetAssistantsAsync().ToListAsync()).Select(x => x.Id));
    }

    private static OpenAIFileClient Files(AgentHostServer server, string key) =>
        new(new ApiKeyCredential(key), new OpenAI.OpenAIClientOptions { Endpoint = server.BaseUri, NetworkTimeout = TimeSpan.FromSeconds(30) });

    private static VectorStoreClient VectorStores(AgentHostServer server, string key) =>
        new(new ApiKeyCredential(key), new VectorStoreClientOptions { Endpoint = server.BaseUri, NetworkTimeout = TimeSpan.FromSeconds(30) });
}

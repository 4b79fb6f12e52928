using AgentHost.Core.Domain;
using AgentHost.Core.Files;
using AgentHost.Core.Retrieval;
using AgentHost.Core.Storage;
using AgentHost.Core.VectorStores;

namespace AgentHost.Storage.Contracts;

/// <summary>
/// What every store must do with <see cref="ProjectScope"/>: a row belongs to the project current when it was written;
/// in another project it is not found, not listed and not deleted; with no project current every row is seen.
/// </summary>
public abstract class ProjectIsolationContract<TFactory> : StoreContract<TFactory>
    where TFactory : IStoreFactory, new()
{
    [StoreFact]
    public async Task AssistantsThreadsMessagesRunsAndSteps_BelongToTheirProject()
    {
        var assistant = Objects.Assistant();
        var thread = Objects.Thread();
        var message = Objects.Message(thread.Id);
        var run = Objects.Run(thread.Id);
        var step = Objects.Step(run);
        using (ProjectScope.Enter("proj_a"))
        {
            await Stores.Agents.CreateAssistantAsync(assistant, None);
            await Stores.Agents.CreateThreadAsync(thread, [message], None);
            Assert.Null(await Stores.Agents.TryCreateRunAsync(run, null, [], None));
            await Stores.Agents.SaveStepAsync(step, None);
        }

        using (ProjectScope.Enter("proj_b"))
        {
            Assert.Null(await Stores.Agents.GetAssistantAsync(assistant.Id, None));
            Assert.Empty((await Stores.Agents.ListAssistantsAsync(ListQuery.Default, None)).Data);
            Assert.False(await Stores.Agents.DeleteAssistantAsync(assistant.Id, None));
            Assert.Null(await Stores.Agents.GetThreadAsync(thread.Id, None));
            Assert.False(await Stores.Agents.DeleteThreadAsync(thread.Id, None));
            Assert.Null(await Stores.Agents.GetMessageAsync(thread.Id, message.Id, None));
            Assert.Empty((await Stores.Agents.ListMessagesAsync(thread.Id, ListQuery.Default, null, None)).Data);
            Assert.False(await Stores.Agents.DeleteMessageAsync(thread.Id, message.Id, None));
            Assert.Null(await Stores.Agents.GetRunAsync(thread.Id, run.Id, None));
            Assert.Empty((await Stores.Agents.ListRunsAsync(thread.Id, ListQuery.Default, None)).Data);
            Assert.Null(await Stores.Agents.GetStepAsync(thread.Id, run.Id, step.Id, None));
            Assert.Empty((await Stores.Agents.ListStepsAsync(thread.Id, run.Id, ListQuery.Default, None)).Data);
        }

        using (ProjectScope.Enter("proj_a"))
        {
            Assert.NotNull(await Stores.Agents.GetAssistantAsync(assistant.Id, None));
            Assert.Single((await Stores.Agents.ListMessagesAsync(thread.Id, ListQuery.Default, null, None)).Data);
            Assert.NotNull(await Stores.Agents.GetStepAsync(thread.Id, run.Id, step.Id, None));
        }

        // Unscoped work (the worker, sweeps) sees every project, and learns the run's project to work in it.
        Assert.NotNull(await Stores.Agents.GetRunAsync(thread.Id, run.Id, None));
        var now = DateTimeOffset.UnixEpoch.AddDays(20_000);
        Assert.Equal("proj_a", (await Stores.Agents.TryLeaseRunAsync(run.Id, "worker", now, now.AddSeconds(30), None))?.Project);
        using (ProjectScope.Enter("proj_a"))
        {
            Assert.True(await Stores.Agents.DeleteThreadAsync(thread.Id, None));
        }
    }

    [StoreFact]
    public async Task FilesUploadsAndVectorStores_BelongToTheirProject()
    {
        StoredFile file;
        var upload = new Upload { Id = IdGenerator.Upload(), Bytes = 1, CreatedAt = 1, Filename = "a.txt", Purpose = FilePurposes.Assistants, ExpiresAt = 99 };
        var store = new VectorStore { Id = IdGenerator.VectorStore(), CreatedAt = 1 };
        var batch = new VectorStoreFileBatch { Id = IdGenerator.FileBatch(), CreatedAt = 1, VectorStoreId = store.Id };
        using (ProjectScope.Enter("proj_a"))
        {
            file = await Stores.Files.CreateAsync("a.txt", FilePurposes.Assistants, new MemoryStream("a"u8.ToArray()), None);
            await Stores.Uploads.CreateAsync(upload, None);
            await Stores.VectorStores.CreateAsync(store, [], None);
            await Stores.VectorStores.AddFilesAsync(store.Id, [new NewVectorStoreFile(file.Id, new ChunkingStrategy("static", 300, 100), new Dictionary<string, System.Text.Json.JsonElement>())], batch, None);
        }

        using (ProjectScope.Enter("proj_b"))
        {
            Assert.Null(await Stores.Files.GetAsync(file.Id, None));
            Assert.Null(await Stores.Files.OpenReadAsync(file.Id, None));
            Assert.Empty((await Stores.Files.ListAsync(null, ListQuery.Default, None)).Data);
            Assert.False(await Stores.Files.DeleteAsync(file.Id, None));
            Assert.Null(await Stores.Uploads.GetAsync(upload.Id, None));
            Assert.Null(await Stores.VectorStores.GetAsync(store.Id, None));
            Assert.Empty((await Stores.VectorStores.ListAsync(ListQuery.Default, None)).Data);
            Assert.Empty((await Stores.VectorStores.ListFilesAsync(store.Id, null, null, ListQuery.Default, None)).Data);
            Assert.Null(await Stores.VectorStores.GetBatchAsync(store.Id, batch.Id, None));
            Assert.False(await Stores.VectorStores.DeleteAsync(store.Id, None));
        }

        using (ProjectScope.Enter("proj_a"))
        {
            Assert.NotNull(await Stores.Files.GetAsync(file.Id, None));
            Assert.NotNull(await Stores.Uploads.GetAsync(upload.Id, None));
            Assert.Single((await Stores.VectorStores.ListFilesAsync(store.Id, null, null, ListQuery.Default, None)).Data);
            Assert.NotNull(await Stores.VectorStores.GetBatchAsync(store.Id, batch.Id, None));
            Assert.True(await Stores.VectorStores.DeleteAsync(store.Id, None));
        }
    }
}

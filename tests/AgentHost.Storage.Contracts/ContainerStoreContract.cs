using System.Text;
using AgentHost.Core.Containers;
using AgentHost.Core.Errors;
using AgentHost.Core.Storage;

namespace AgentHost.Storage.Contracts;

/// <summary>What every <see cref="IContainerStore"/> must do: expiry as a compare-and-set, files by path with their bytes, cascades.</summary>
public abstract class ContainerStoreContract<TFactory> : StoreContract<TFactory>
    where TFactory : IStoreFactory, new()
{
    private IContainerStore Store => Stores.Containers;

    [StoreFact]
    public async Task Containers_AreListedByName_AndTouchMovesTheExpiryOnlyForward()
    {
        var alpha = await CreateAsync("alpha", lastActiveAt: 1_000);
        await CreateAsync("beta", lastActiveAt: 1_000);
        var second = await CreateAsync("alpha", lastActiveAt: 1_000);

        Assert.Equal([second.Id, alpha.Id], (await Store.ListAsync("alpha", ListQuery.Default, None)).Data.Select(c => c.Id));
        Assert.Equal(3, (await Store.ListAsync(null, ListQuery.Default, None)).Data.Count);
        Assert.Equal(alpha, await Store.GetAsync(alpha.Id, None));

        Assert.Equal(2_000, (await Store.TouchAsync(alpha.Id, 2_000, None))?.LastActiveAt);
        Assert.Equal(2_000, (await Store.TouchAsync(alpha.Id, 1_500, None))?.LastActiveAt);
        Assert.Equal(2_000 + 20 * 60, (await Store.GetAsync(alpha.Id, None))?.ExpiresAt);
        Assert.Null(await Store.TouchAsync("cntr_missing", 2_000, None));
    }

    [StoreFact]
    public async Task Expire_OnlyOnce_OnlyWhenDue_AndDiscardsTheFiles()
    {
        var container = await CreateAsync("job", lastActiveAt: 1_000);
        var due = container.ExpiresAt;
        await PutAsync(container, "/mnt/data/a.txt", "alpha");

        Assert.Empty(await Store.DueForExpiryAsync(due - 1, 10, None));
        Assert.False(await Store.ExpireAsync(container.Id, due - 1, None));
        Assert.Equal([container.Id], await Store.DueForExpiryAsync(due, 10, None));

        var racing = await Task.WhenAll(Store.ExpireAsync(container.Id, due, None), Store.ExpireAsync(container.Id, due, None));

        Assert.Single(racing, won => won);
        Assert.Equal(Container.Expired, (await Store.GetAsync(container.Id, None))?.Status);
        Assert.Equal((0, 0L), await Store.UsageAsync(container.Id, None));
        Assert.Empty(await Store.DueForExpiryAsync(due, 10, None));
        Assert.Null(await PutAsync(container, "/mnt/data/late.txt", "too late"));
        Assert.Equal(Container.Expired, (await Store.TouchAsync(container.Id, due + 10, None))?.Status);
    }

    [StoreFact]
    public async Task Files_AreKeptByPath_AWriteToTheSamePathKeepsItsId_AndTheBytesReadBack()
    {
        var container = await CreateAsync("files", lastActiveAt: 1_000);
        var first = await PutAsync(container, "/mnt/data/report.csv", "a,b\n1,2\n");
        var other = await PutAsync(container, "/mnt/data/other.txt", "x");
        var rewritten = await PutAsync(container, "/mnt/data/report.csv", "a,b\n3,4\n5,6\n");

        Assert.Equal(first!.Id, rewritten!.Id);
        Assert.Equal(12, rewritten.Bytes);
        Assert.Equal("a,b\n3,4\n5,6\n", await ReadAsync(container.Id, first.Id));
        Assert.Equal(rewritten, await Store.GetFileByPathAsync(container.Id, "/mnt/data/report.csv", None));
        Assert.Equal(rewritten, await Store.GetFileAsync(container.Id, first.Id, None));
        Assert.Equal([first.Id, other!.Id], (await Store.AllFilesAsync(container.Id, None)).Select(f => f.Id));
        Assert.Equal([other.Id, first.Id], (await Store.ListFilesAsync(container.Id, ListQuery.Default, None)).Data.Select(f => f.Id));
        Assert.Equal((2, 13L), await Store.UsageAsync(container.Id, None));

        Assert.True(await Store.DeleteFileAsync(container.Id, other.Id, None));
        Assert.False(await Store.DeleteFileAsync(container.Id, other.Id, None));
        Assert.Null(await Store.OpenFileAsync(container.Id, other.Id, None));
        Assert.Null(await Store.GetFileAsync("cntr_other", first.Id, None));
    }

    [StoreFact]
    public async Task AFileOverTheLimit_IsRefused_AndLeavesNothing()
    {
        var container = await CreateAsync("limits", lastActiveAt: 1_000);
        var file = NewFile(container, "/mnt/data/big.bin");

        await Assert.ThrowsAsync<ApiException>(() => Store.PutFileAsync(file, new MemoryStream(new byte[101]), 100, None));

        Assert.Null(await Store.GetFileAsync(container.Id, file.Id, None));
        Assert.Equal((0, 0L), await Store.UsageAsync(container.Id, None));
    }

    [StoreFact]
    public async Task Delete_RemovesTheContainerAndItsFiles()
    {
        var container = await CreateAsync("gone", lastActiveAt: 1_000);
        var file = await PutAsync(container, "/mnt/data/a.txt", "alpha");

        Assert.True(await Store.DeleteAsync(container.Id, None));

        Assert.Null(await Store.GetAsync(container.Id, None));
        Assert.Null(await Store.GetFileAsync(container.Id, file!.Id, None));
        Assert.Null(await Store.OpenFileAsync(container.Id, file.Id, None));
        Assert.False(await Store.DeleteAsync(container.Id, None));
    }

    private async Task<Container> CreateAsync(string name, long lastActiveAt)
    {
        var container = new Container
        {
            Id = "cntr_" + Guid.NewGuid().ToString("N"),
            Name = name,
            CreatedAt = lastActiveAt,
            LastActiveAt = lastActiveAt,
            ExpiresAfter = new ContainerExpiresAfter(ContainerExpiresAfter.LastActiveAt, 20),
        };
        await Store.CreateAsync(container, None);
        return container;
    }

    private Task<ContainerFile?> PutAsync(Container container, string path, string text) =>
        Store.PutFileAsync(NewFile(container, path), new MemoryStream(Encoding.UTF8.GetBytes(text)), 1024, None);

    private static ContainerFile NewFile(Container container, string path) => new()
    {
        Id = "cfile_" + Guid.NewGuid().ToString("N"),
        CreatedAt = 1_000,
        Bytes = 0,
        ContainerId = container.Id,
        Path = path,
        Source = ContainerFile.FromUser,
    };

    private async Task<string> ReadAsync(string containerId, string fileId)
    {
        await using var stream = await Store.OpenFileAsync(containerId, fileId, None) ?? throw new InvalidOperationException("No bytes.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}

using AgentHost.Core.Domain;
using AgentHost.Core.Errors;
using AgentHost.Core.Files;
using AgentHost.Core.Storage;

namespace AgentHost.Storage.Contracts;

/// <summary>What every <see cref="IFileStore"/> and <see cref="IUploadStore"/> must do.</summary>
public abstract class FileStoreContract<TFactory> : StoreContract<TFactory>
    where TFactory : IStoreFactory, new()
{
    [StoreFact]
    public async Task File_KeepsItsBytesUntilDeleted()
    {
        var bytes = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        var file = await Stores.Files.CreateAsync("data.bin", FilePurposes.Assistants, new MemoryStream(bytes), None);

        Assert.Equal((bytes.Length, "data.bin", Time.GetUtcNow().ToUnixTimeSeconds()), (file.Bytes, file.Filename, file.CreatedAt));
        Assert.Equal(file, await Stores.Files.GetAsync(file.Id, None));
        await using (var read = await Stores.Files.OpenReadAsync(file.Id, None))
        {
            using var copy = new MemoryStream();
            await read!.CopyToAsync(copy);
            Assert.Equal(bytes, copy.ToArray());
        }

        Assert.True(await Stores.Files.DeleteAsync(file.Id, None));
        Assert.Null(await Stores.Files.OpenReadAsync(file.Id, None));
        Assert.Null(await Stores.Files.GetAsync(file.Id, None));
        Assert.False(await Stores.Files.DeleteAsync(file.Id, None));
    }

    [StoreFact]
    public async Task File_OverTheLimitIsRefusedAndLeavesNothing()
    {
        var error = await Assert.ThrowsAsync<ApiException>(() =>
            Stores.Files.CreateAsync("big.bin", FilePurposes.Assistants, new MemoryStream(new byte[Limits.MaxFileBytes + 1]), None));

        Assert.Equal("file_too_large", error.Code);
        Assert.Empty((await Stores.Files.ListAsync(null, ListQuery.Default, None)).Data);
    }

    [StoreFact]
    public async Task Files_ArePagedAndFilteredByPurpose()
    {
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var purpose = i % 2 == 0 ? FilePurposes.Assistants : "batch";
            ids.Add((await Stores.Files.CreateAsync($"f{i}.txt", purpose, new MemoryStream([1]), None)).Id);
        }

        var assistants = await Stores.Files.ListAsync(FilePurposes.Assistants, ListQuery.Default, None);
        var firstTwo = await Stores.Files.ListAsync(null, new ListQuery { Limit = 2, Ascending = true }, None);
        var next = await Stores.Files.ListAsync(null, new ListQuery { Limit = 2, Ascending = true, After = firstTwo.Data[^1].Id }, None);

        Assert.Equal([ids[2], ids[0]], assistants.Data.Select(f => f.Id));
        Assert.Equal((string.Join(",", ids[0], ids[1]), true), (string.Join(",", firstTwo.Data.Select(f => f.Id)), firstTwo.HasMore));
        Assert.Equal((string.Join(",", ids[2], ids[3]), false), (string.Join(",", next.Data.Select(f => f.Id)), next.HasMore));
    }

    [StoreFact]
    public async Task Upload_KeepsItsPartsUntilTheyAreDeleted()
    {
        var upload = new Upload { Id = IdGenerator.Upload(), Bytes = 7, CreatedAt = 1, Filename = "a.txt", Purpose = FilePurposes.Assistants, ExpiresAt = 99 };
        await Stores.Uploads.CreateAsync(upload, None);
        var first = await Stores.Uploads.AddPartAsync(upload.Id, new MemoryStream("abc"u8.ToArray()), Limits.MaxPartBytes, None);
        var second = await Stores.Uploads.AddPartAsync(upload.Id, new MemoryStream("defg"u8.ToArray()), Limits.MaxPartBytes, None);
        await Stores.Uploads.UpdateAsync(upload with { Status = UploadStatus.Completed }, None);

        var sizes = await Stores.Uploads.GetPartSizesAsync(upload.Id, None);
        using var reader = new StreamReader(Stores.Uploads.OpenPart(upload.Id, second.Id));

        Assert.Equal(UploadStatus.Completed, (await Stores.Uploads.GetAsync(upload.Id, None))?.Status);
        Assert.Equal(new Dictionary<string, long> { [first.Id] = 3, [second.Id] = 4 }, sizes);
        Assert.Equal("defg", await reader.ReadToEndAsync());
        reader.Dispose();
        await Stores.Uploads.DeletePartsAsync(upload.Id, None);
        Assert.Empty(await Stores.Uploads.GetPartSizesAsync(upload.Id, None));
        Assert.ThrowsAny<IOException>(() => Stores.Uploads.OpenPart(upload.Id, first.Id));
    }

    [StoreFact]
    public async Task UploadPart_OverTheLimitIsRefused()
    {
        var upload = new Upload { Id = IdGenerator.Upload(), Bytes = 1, CreatedAt = 1, Filename = "a.txt", Purpose = FilePurposes.Assistants, ExpiresAt = 99 };
        await Stores.Uploads.CreateAsync(upload, None);

        await Assert.ThrowsAsync<ApiException>(() => Stores.Uploads.AddPartAsync(upload.Id, new MemoryStream(new byte[Limits.MaxPartBytes + 1]), Limits.MaxPartBytes, None));

        Assert.Empty(await Stores.Uploads.GetPartSizesAsync(upload.Id, None));
        Assert.Null(await Stores.Uploads.GetAsync("upload_missing", None));
    }
}

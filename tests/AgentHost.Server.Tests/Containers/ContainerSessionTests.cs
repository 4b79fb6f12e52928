using AgentHost.Core.Containers;
using AgentHost.Server.Tests.Support;
using AgentHost.Testing.Requirements;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Containers;

namespace AgentHost.Server.Tests.Containers;

/// <summary>
/// Code in a container, through <see cref="ContainerService"/> — the seam the <c>code_interpreter</c> of responses
/// calls: the container's files are in <c>/mnt/data</c>, state persists between calls, written files become
/// container files, and after a restart a fresh sandbox gets the files back.
/// </summary>
public sealed class ContainerSessionTests
{
    private static readonly Dictionary<string, string?> Settings = new() { ["AgentHost:Sandbox:PrewarmSession"] = "false", ["AgentHost:Sandbox:Preload"] = "" };

    [RequiresFact("bwrap")]
    public async Task CodeSeesTheContainersFiles_KeepsState_AndWhatItWritesOrDeletesIsReflectedInTheContainer()
    {
        await using var server = await AgentHostServer.StartAsync(settings: Settings);
        var client = server.Containers();
        var service = server.Services.GetRequiredService<ContainerService>();
        ContainerResource container = await client.CreateContainerAsync(new ContainerCreationOptions("work"));
        var input = await server.UploadContainerFileAsync(container.Id, "numbers.txt", "1\n2\n3\n"u8.ToArray());

        ContainerCallResult first;
        await using (var lease = await service.AcquireAsync(container.Id, CancellationToken.None))
        {
            first = await lease.ExecuteAsync(
                "total = sum(int(x) for x in open('/mnt/data/numbers.txt'))\nimport os\nos.makedirs('/mnt/data/out', exist_ok=True)\nopen('/mnt/data/out/total.txt', 'w').write(str(total))\nprint(total)",
                null, CancellationToken.None);
        }

        // A file added through the API while the session lives is in /mnt/data at once.
        await server.UploadContainerFileAsync(container.Id, "late.txt", "late"u8.ToArray());
        ContainerCallResult second;
        await using (var lease = await service.AcquireAsync(container.Id, CancellationToken.None))
        {
            second = await lease.ExecuteAsync("os.remove('/mnt/data/numbers.txt')\nprint(total * 2, open('/mnt/data/late.txt').read())", null, CancellationToken.None);
        }

        var files = await client.GetContainerFilesAsync(new ContainerFileCollectionOptions(container.Id) { Order = ContainerFileCollectionOrder.Ascending }).ToListAsync();
        var written = Assert.Single(first.Files);
        var content = await client.DownloadContainerFileAsync(container.Id, written.Id);

        Assert.Equal("6\n", first.Logs);
        Assert.Equal("/mnt/data/out/total.txt", written.Path);
        Assert.Equal("assistant", written.Source);
        Assert.Equal("6", content.Value.ToString());
        Assert.Equal("12 late\n", second.Logs);
        Assert.Equal(["/mnt/data/out/total.txt", "/mnt/data/late.txt"], files.Select(f => f.Path));
        Assert.DoesNotContain(files, f => f.Id == input.GetProperty("id").GetString());
        Assert.Equal(written.Id, (await service.FileAtPathAsync(container.Id, "/mnt/data/out/total.txt", CancellationToken.None))?.Id);

        // Deleting a container file through the API removes it from the live session too.
        await client.DeleteContainerFileAsync(container.Id, written.Id);
        await using (var lease = await service.AcquireAsync(container.Id, CancellationToken.None))
        {
            var third = await lease.ExecuteAsync("print(sorted(os.listdir('/mnt/data')), os.path.exists('/mnt/data/out/total.txt'))", null, CancellationToken.None);
            Assert.Equal("['late.txt', 'out'] False\n", third.Logs);
        }
    }

    [RequiresFact("bwrap")]
    public async Task Figures_BecomeContainerFiles_InMntData()
    {
        await using var server = await AgentHostServer.StartAsync(settings: Settings);
        var service = server.Services.GetRequiredService<ContainerService>();
        var container = await service.ResolveAsync(ContainerReference.Auto(), CancellationToken.None);

        await using var lease = await service.AcquireAsync(container.Id, CancellationToken.None);
        var result = await lease.ExecuteAsync("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()", null, CancellationToken.None);
        var image = Assert.Single(result.Images);
        var listing = await lease.ExecuteAsync("import os\nprint(os.listdir('/mnt/data'))", null, CancellationToken.None);

        Assert.Equal("auto", container.Name);
        Assert.Matches("^/mnt/data/cfile_[0-9a-f]{32}\\.png$", image.Path);
        Assert.Equal(image.Id + ".png", Path.GetFileName(image.Path));
        Assert.Equal($"['{image.Id}.png']\n", listing.Logs);
        var png = (await server.Containers().DownloadContainerFileAsync(container.Id, image.Id)).Value.ToArray();
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [RequiresFact("bwrap")]
    public async Task AfterARestart_AContainerGetsAFreshSession_WithItsFilesRestored()
    {
        var dataDir = Directory.CreateTempSubdirectory("agenthost-containers-").FullName;
        var settings = new Dictionary<string, string?>(Settings) { ["AgentHost:DataDir"] = dataDir };
        try
        {
            string containerId;
            await using (var first = await AgentHostServer.StartAsync(settings: settings))
            {
                ContainerResource container = await first.Containers().CreateContainerAsync(new ContainerCreationOptions("durable"));
                containerId = container.Id;
                await first.UploadContainerFileAsync(containerId, "input.csv", "x\n1\n"u8.ToArray());
                var service = first.Services.GetRequiredService<ContainerService>();
                await using var lease = await service.AcquireAsync(containerId, CancellationToken.None);
                var result = await lease.ExecuteAsync("import os\nos.makedirs('/mnt/data/results', exist_ok=True)\nopen('/mnt/data/results/r.txt', 'w').write('kept')\nsecret = 42", null, CancellationToken.None);
                Assert.Single(result.Files);
            }

            await using var second = await AgentHostServer.StartAsync(settings: settings);
            var restarted = second.Services.GetRequiredService<ContainerService>();
            await using var again = await restarted.AcquireAsync(containerId, CancellationToken.None);
            var after = await again.ExecuteAsync(
                "import os\nprint(sorted(os.listdir('/mnt/data')), open('/mnt/data/results/r.txt').read(), open('/mnt/data/input.csv').read().split())\nprint('secret' in globals())",
                null, CancellationToken.None);

            Assert.Equal("['input.csv', 'results'] kept ['x', '1']\nFalse\n", after.Logs);
            Assert.Empty(after.Files); // restoring files is not the code writing them
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}

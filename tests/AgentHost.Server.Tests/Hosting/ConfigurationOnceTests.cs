using AgentHost.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace AgentHost.Server.Tests.Hosting;

/// <summary>
/// Configuration is read once at start: no file source watches the content root, where the data directory lies by
/// default and every SQLite write would otherwise wake the watcher.
/// </summary>
public sealed class ConfigurationOnceTests
{
    [Fact]
    public async Task NoConfigurationFile_IsWatchedForChanges_UnlessTheCommandLineAsks()
    {
        var dataDir = Directory.CreateTempSubdirectory("agenthost-config-").FullName;
        try
        {
            await using (var app = AgentHostApp.Build([$"--AgentHost:DataDir={dataDir}"]))
            {
                var files = FileSources(app);
                Assert.NotEmpty(files); // appsettings.json and its environment variant
                Assert.All(files, source => Assert.False(source.ReloadOnChange, source.Path));
            }

            await using (var app = AgentHostApp.Build([$"--AgentHost:DataDir={dataDir}", "--hostBuilder:reloadConfigOnChange=true"]))
            {
                Assert.All(FileSources(app), source => Assert.True(source.ReloadOnChange, source.Path));
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static List<FileConfigurationSource> FileSources(WebApplication app) =>
        [.. ((IConfigurationBuilder)app.Configuration).Sources.OfType<FileConfigurationSource>()];
}

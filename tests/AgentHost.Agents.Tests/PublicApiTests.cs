using PublicApiGenerator;

namespace AgentHost.Agents.Tests;

/// <summary>
/// The package's public surface is tracked in PublicApi.approved.txt: a change to it fails here until the file is updated
/// (set AGENTHOST_APPROVE_API=1 and run this test to rewrite it), so every API change is a visible diff in review.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesTheApprovedFile()
    {
        var options = new ApiGeneratorOptions
        {
            ExcludeAttributes =
            [
                "System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute", "System.Runtime.CompilerServices.InternalsVisibleToAttribute",
                "System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute", "System.Runtime.CompilerServices.AsyncStateMachineAttribute",
            ],
        };
        var actual = typeof(Agent).Assembly.GeneratePublicApi(options).ReplaceLineEndings("\n");
        var approvedPath = Path.Combine(SourceFolder(), "PublicApi.approved.txt");

        if (Environment.GetEnvironmentVariable("AGENTHOST_APPROVE_API") == "1")
        {
            File.WriteAllText(approvedPath, actual);
        }

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;
        Assert.True(approved == actual, $"The public API of AgentHost.Agents changed. Review it and update {approvedPath} (AGENTHOST_APPROVE_API=1). Now:\n{actual}");
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}

namespace AgentHost.Tools.Mcp.Tests;

public sealed class McpToolNamesTests
{
    [Fact]
    public void AValidName_IsLabelTwoUnderscoresTool()
    {
        Assert.Equal("everything__get-sum", McpToolNames.For("everything", "get-sum"));
    }

    [Fact]
    public void ADisallowedCharacter_IsReplaced_AndAHashKeepsNamesApart()
    {
        var dotted = McpToolNames.For("files", "read.file");
        var spaced = McpToolNames.For("files", "read file");

        Assert.Matches("^files__read_file_[0-9a-f]{8}$", dotted);
        Assert.Matches("^files__read_file_[0-9a-f]{8}$", spaced);
        Assert.NotEqual(dotted, spaced);
        Assert.Equal(dotted, McpToolNames.For("files", "read.file"));
    }

    [Fact]
    public void ALongName_IsCutTo64Characters_AndStaysUnique()
    {
        var a = McpToolNames.For("server", new string('a', 80) + "1");
        var b = McpToolNames.For("server", new string('a', 80) + "2");

        Assert.Equal(64, a.Length);
        Assert.Equal(64, b.Length);
        Assert.NotEqual(a, b);
        Assert.Matches("^[A-Za-z0-9_-]+$", a);
    }
}

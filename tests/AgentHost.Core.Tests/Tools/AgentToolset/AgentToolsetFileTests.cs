using System.Runtime.Versioning;
using AgentHost.Core.Tools.AgentToolset;
using AgentHost.Testing.Requirements;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tests.Tools.AgentToolset;

/// <summary><c>read</c>, <c>write</c>, <c>edit</c>, <c>glob</c> and <c>grep</c> on a session's workspace, with the original's semantics.</summary>
[SupportedOSPlatform("linux")]
public sealed class AgentToolsetFileTests
{
    [RequiresFact("bwrap")]
    public async Task Write_CreatesFolders_AndOverwrites_AndReadShowsNumberedLines()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();

        var created = await harness.CallAsync(workspace, AgentToolNames.Write, new { file_path = "notes/deep/todo.txt", content = "old\n" });
        var overwritten = await harness.CallAsync(workspace, AgentToolNames.Write, new { file_path = "/mnt/data/notes/deep/todo.txt", content = "alpha\nbeta\ngamma\ndelta\n" });
        var whole = await harness.CallAsync(workspace, AgentToolNames.Read, new { file_path = "notes/deep/todo.txt" });
        var part = await harness.CallAsync(workspace, AgentToolNames.Read, new { file_path = "/mnt/data/notes/deep/todo.txt", view_range = new[] { 2, 3 } });
        var toEnd = await harness.CallAsync(workspace, AgentToolNames.Read, new { file_path = "notes/deep/todo.txt", view_range = new[] { 3, -1 } });

        Assert.False(created.IsError, created.Output);
        Assert.Equal("File created successfully at: /mnt/data/notes/deep/todo.txt (4 bytes).", created.Output);
        Assert.Equal("The file /mnt/data/notes/deep/todo.txt has been overwritten (23 bytes).", overwritten.Output);
        Assert.Equal("     1\talpha\n     2\tbeta\n     3\tgamma\n     4\tdelta\n", whole.Output);
        Assert.Equal("     2\tbeta\n     3\tgamma\n", part.Output);
        Assert.Equal("     3\tgamma\n     4\tdelta\n", toEnd.Output);
        Assert.Equal("alpha\nbeta\ngamma\ndelta\n", await harness.BashAsync(workspace, "cat notes/deep/todo.txt"));
    }

    [RequiresFact("bwrap")]
    public async Task Read_MissingFile_Directory_AndRangesPastTheEnd_AreClearErrors()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();
        await harness.BashAsync(workspace, "mkdir -p folder && printf 'one\\ntwo\\n' > two.txt && : > empty.txt");

        var missing = await harness.CallAsync(workspace, AgentToolNames.Read, new { file_path = "nope.txt" });
        var folder = await harness.CallAsync(workspace, AgentToolNames.Read, new { file_path = "folder" });
        var past = await harness.CallAsync(workspace, AgentToolNames.Read, new { file_path = "two.txt", view_range = new[] { 5, 9 } });
        var backwards = await harness.CallAsync(workspace, AgentToolNames.Read, new { file_path = "two.txt", view_range = new[] { 2, 1 } });
        var zero = await harness.CallAsync(workspace, AgentToolNames.Read, new { file_path = "two.txt", view_range = new[] { 0, 1 } });
        var empty = await harness.CallAsync(workspace, AgentToolNames.Read, new { file_path = "empty.txt" });

        Assert.True(missing.IsError);
        Assert.Equal("File does not exist: /mnt/data/nope.txt", missing.Output);
        Assert.True(folder.IsError);
        Assert.Contains("/mnt/data/folder is a directory", folder.Output, StringComparison.Ordinal);
        Assert.True(past.IsError);
        Assert.Contains("starts at line 5, past the end of /mnt/data/two.txt, which has 2 lines", past.Output, StringComparison.Ordinal);
        Assert.True(backwards.IsError);
        Assert.Contains("ends before it starts", backwards.Output, StringComparison.Ordinal);
        Assert.True(zero.IsError);
        Assert.Contains("numbered from 1", zero.Output, StringComparison.Ordinal);
        Assert.False(empty.IsError);
        Assert.Equal("(/mnt/data/empty.txt is empty)", empty.Output);
    }

    [RequiresFact("bwrap")]
    public async Task Read_AnImage_ReturnsItAsAnImage()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();
        // A 1x1 PNG.
        await harness.BashAsync(workspace, "echo iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg== | base64 -d > dot.png");

        var view = await harness.CallAsync(workspace, AgentToolNames.Read, new { file_path = "dot.png" });

        Assert.False(view.IsError, view.Output);
        Assert.Contains("image/png", view.Output, StringComparison.Ordinal);
        var image = Assert.IsType<DataContent>(Assert.Single(view.Media));
        Assert.Equal("image/png", image.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], image.Data.ToArray()[..4]);
    }

    [RequiresFact("bwrap")]
    public async Task Edit_RequiresAUniqueMatch_UnlessReplaceAll_AndSaysHowManyWereFound()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();
        await harness.CallAsync(workspace, AgentToolNames.Write, new { file_path = "app.py", content = "x = 1\ny = 1\nprint(x + y)\n" });

        var ambiguous = await harness.CallAsync(workspace, AgentToolNames.Edit, new { file_path = "app.py", old_string = "= 1", new_string = "= 2" });
        var absent = await harness.CallAsync(workspace, AgentToolNames.Edit, new { file_path = "app.py", old_string = "z = 1", new_string = "z = 2" });
        var unique = await harness.CallAsync(workspace, AgentToolNames.Edit, new { file_path = "app.py", old_string = "x = 1", new_string = "x = 40" });
        var all = await harness.CallAsync(workspace, AgentToolNames.Edit, new { file_path = "app.py", old_string = "1", new_string = "2", replace_all = true });
        var missing = await harness.CallAsync(workspace, AgentToolNames.Edit, new { file_path = "nope.py", old_string = "a", new_string = "b" });
        var same = await harness.CallAsync(workspace, AgentToolNames.Edit, new { file_path = "app.py", old_string = "y", new_string = "y" });

        Assert.True(ambiguous.IsError);
        Assert.Contains("was found 2 times in /mnt/data/app.py; it must occur exactly once", ambiguous.Output, StringComparison.Ordinal);
        Assert.True(absent.IsError);
        Assert.Contains("was not found in /mnt/data/app.py (0 matches)", absent.Output, StringComparison.Ordinal);
        Assert.False(unique.IsError, unique.Output);
        Assert.Contains("1 occurrence replaced", unique.Output, StringComparison.Ordinal);
        Assert.Contains("     1\tx = 40\n", unique.Output, StringComparison.Ordinal);
        Assert.False(all.IsError, all.Output);
        Assert.Contains("1 occurrence replaced", all.Output, StringComparison.Ordinal);
        Assert.True(missing.IsError);
        Assert.Equal("File does not exist: /mnt/data/nope.py", missing.Output);
        Assert.True(same.IsError);
        Assert.Equal("x = 40\ny = 2\nprint(x + y)\n", await harness.BashAsync(workspace, "cat app.py"));
    }

    [RequiresFact("bwrap")]
    public async Task Glob_ListsNewestFirst_AndCapsAt200WithANote()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();
        await harness.BashAsync(workspace,
            "mkdir -p src/a src/b && touch -d '2020-01-01' src/a/old.py && touch -d '2024-01-01' src/b/new.py && touch -d '2022-01-01' src/mid.py && touch src/readme.md");

        var python = await harness.CallAsync(workspace, AgentToolNames.Glob, new { pattern = "**/*.py" });
        var under = await harness.CallAsync(workspace, AgentToolNames.Glob, new { pattern = "*.py", path = "src/b" });
        var none = await harness.CallAsync(workspace, AgentToolNames.Glob, new { pattern = "**/*.rs" });
        await harness.BashAsync(workspace, "mkdir many && for i in $(seq 1 205); do : > many/f$i.txt; done");
        var capped = await harness.CallAsync(workspace, AgentToolNames.Glob, new { pattern = "many/*.txt" });

        Assert.Equal("/mnt/data/src/b/new.py\n/mnt/data/src/mid.py\n/mnt/data/src/a/old.py\n", python.Output);
        Assert.Equal("/mnt/data/src/b/new.py\n", under.Output);
        Assert.Equal("No files found", none.Output);
        var lines = capped.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(201, lines.Length);
        Assert.Equal("(Results are truncated: the 200 most recently modified of 205 matching files are shown. Use a more specific path or pattern.)", lines[^1]);
    }

    [RequiresFact("bwrap")]
    public async Task Grep_ReturnsMatchingLinesWithPaths_CapsItsOutput_AndExplainsABadPattern()
    {
        await using var harness = new WorkspaceHarness(options: new AgentToolsetOptions { GrepLimit = 5 });
        var workspace = await harness.NewWorkspaceAsync();
        await harness.BashAsync(workspace,
            "mkdir -p src .hidden && printf 'def main():\\n    return 42\\n' > src/app.py && printf 'TODO: x\\nnothing\\nTODO: y\\n' > notes.txt && echo 'TODO hidden' > .hidden/h.txt && printf 'TODO\\0binary' > blob.bin");

        var todo = await harness.CallAsync(workspace, AgentToolNames.Grep, new { pattern = "TODO" });
        var regex = await harness.CallAsync(workspace, AgentToolNames.Grep, new { pattern = @"return \d+", path = "src" });
        var none = await harness.CallAsync(workspace, AgentToolNames.Grep, new { pattern = "absent-text" });
        var bad = await harness.CallAsync(workspace, AgentToolNames.Grep, new { pattern = "(unclosed" });
        await harness.BashAsync(workspace, "for i in $(seq 1 9); do echo \"match $i\" >> many.txt; done");
        var capped = await harness.CallAsync(workspace, AgentToolNames.Grep, new { pattern = "match", path = "many.txt" });

        Assert.Equal("/mnt/data/notes.txt:1:TODO: x\n/mnt/data/notes.txt:3:TODO: y\n", todo.Output);
        Assert.Equal("/mnt/data/src/app.py:2:    return 42\n", regex.Output);
        Assert.Equal("No matches found", none.Output);
        Assert.True(bad.IsError);
        Assert.Contains("not a valid regular expression", bad.Output, StringComparison.Ordinal);
        Assert.Equal(6, capped.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("Results are truncated after 5 matching lines", capped.Output, StringComparison.Ordinal);
    }

    [RequiresFact("bwrap")]
    public async Task WebTools_AreRefused_SayingNetworkingIsOff()
    {
        await using var harness = new WorkspaceHarness();
        var workspace = await harness.NewWorkspaceAsync();

        var fetch = await harness.CallAsync(workspace, AgentToolNames.WebFetch, new { url = "https://example.com" });
        var search = await harness.CallAsync(workspace, AgentToolNames.WebSearch, new { query = "weather" });

        Assert.True(fetch.IsError);
        Assert.Contains("networking is off in this environment", fetch.Output, StringComparison.Ordinal);
        Assert.True(search.IsError);
        Assert.Contains("the web cannot be searched", search.Output, StringComparison.Ordinal);
    }
}

namespace AgentHost.Core.Tests.Tools.AgentToolset;

/// <summary>The host's view of processes (sandboxed ones included: a PID namespace hides the host from them, not them from the host).</summary>
internal static class HostProcesses
{
    /// <summary>True while a process runs whose command line is <paramref name="program"/> followed by <paramref name="argument"/>.</summary>
    public static bool Running(string program, string argument)
    {
        var expected = $"{program}\0{argument}\0";
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")) == expected && !IsZombie(dir))
                {
                    return true;
                }
            }
            catch (IOException)
            {
                // The process ended while it was read.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read.
            }
        }

        return false;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> at the deadline.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan deadline, string what)
    {
        using var timeout = new CancellationTokenSource(deadline);
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail($"Timed out after {deadline.TotalSeconds} s waiting for {what}.");
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }

    private static bool IsZombie(string dir)
    {
        var stat = File.ReadAllText(Path.Combine(dir, "stat"));
        var state = stat[(stat.LastIndexOf(')') + 2)..];
        return state.StartsWith('Z');
    }
}

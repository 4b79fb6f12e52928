using System.Globalization;

namespace AgentHost.Sandbox.Resources;

/// <summary>
/// The cgroup(s) of one session: the session's first process joins them before it starts bwrap (so everything it
/// starts is inside), the host reads their OOM kills, and disposing kills what is left and removes them.
/// </summary>
internal sealed class SessionCgroup(IReadOnlyList<(string Controller, string Directory)> directories, bool v2) : IDisposable
{
    /// <summary>The <c>cgroup.procs</c> files the session's first process writes its pid to.</summary>
    public IReadOnlyList<string> ProcsFiles { get; } = [.. directories.Select(d => Path.Combine(d.Directory, "cgroup.procs"))];

    /// <summary>How many processes of the session the kernel killed for passing the memory limit.</summary>
    public long OomKills()
    {
        var file = v2
            ? Path.Combine(directories[0].Directory, "memory.events")
            : directories.Where(d => d.Controller == "memory").Select(d => Path.Combine(d.Directory, "memory.oom_control")).FirstOrDefault();
        if (file is null)
        {
            return 0;
        }

        try
        {
            foreach (var line in File.ReadLines(file))
            {
                if (line.StartsWith("oom_kill ", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan("oom_kill ".Length), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // Removed already.
        }

        return 0;
    }

    /// <summary>SIGKILLs every process in the session's cgroups: faster than walking the process tree under memory pressure.</summary>
    public void KillAll()
    {
        foreach (var (_, directory) in directories)
        {
            try
            {
                KillMembers(directory);
            }
            catch (IOException)
            {
                // Removed already.
            }
        }
    }

    public void Dispose()
    {
        foreach (var (_, directory) in directories)
        {
            for (var attempt = 0; attempt < 50; attempt++)
            {
                try
                {
                    KillMembers(directory);
                    if (Directory.Exists(directory))
                    {
                        Directory.Delete(directory);
                    }

                    break;
                }
                catch (IOException)
                {
                    Thread.Sleep(20); // members still exiting; a removed cgroup must be empty
                }
            }
        }
    }

    private static void KillMembers(string directory)
    {
        var procs = Path.Combine(directory, "cgroup.procs");
        if (!File.Exists(procs))
        {
            return;
        }

        foreach (var line in File.ReadAllLines(procs))
        {
            if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(pid).Kill();
                }
                catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Exited meanwhile.
                }
            }
        }
    }
}

using System.Globalization;

namespace AgentHost.Sandbox.Resources;

/// <summary>
/// The watchdog's measure: memory summed over a process and all its descendants, from /proc — each process's
/// proportional share (PSS), so pages forked children share are counted once, as a cgroup counts them.
/// </summary>
internal static class ProcessTreeMemory
{
    public static long ResidentBytes(int rootPid)
    {
        // Walks the tree through /proc/<pid>/task/<tid>/children, so only the session's processes are read.
        long total = 0;
        var pending = new Stack<int>([rootPid]);
        var seen = new HashSet<int>();
        while (pending.Count > 0 && seen.Count < 4096)
        {
            var pid = pending.Pop();
            if (!seen.Add(pid))
            {
                continue;
            }

            total += Resident(pid);
            try
            {
                foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
                {
                    foreach (var child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (int.TryParse(child, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                        {
                            pending.Push(id);
                        }
                    }
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Exited while read.
            }
        }

        return total;
    }

    private static long Resident(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                if (line.StartsWith("Pss:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(4).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            // Exited, or not ours to read.
        }

        return 0;
    }
}

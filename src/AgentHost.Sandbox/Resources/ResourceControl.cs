using System.Globalization;
using AgentHost.Core.Sandbox;

namespace AgentHost.Sandbox.Resources;

/// <summary>
/// Limits that hold for a whole session rather than per process: a cgroup per session (v2 where the host delegates
/// memory and pids to AgentHost's cgroup, else the v1 memory, pids and cpu controllers when writable — as root on a
/// v1/v2 hybrid), else a watchdog that sums the session's memory from /proc. Which one is in force is logged at start.
/// </summary>
internal sealed class ResourceControl
{
    private const string Root = "/sys/fs/cgroup";
    private readonly SandboxOptions options;
    private readonly IReadOnlyList<(string Controller, string Directory)> parents;

    private ResourceControl(SandboxOptions options, string mode, IReadOnlyList<(string, string)> parents)
    {
        this.options = options;
        Mode = mode;
        this.parents = parents;
    }

    /// <summary><c>cgroup v2</c>, <c>cgroup v1</c> or <c>watchdog</c>.</summary>
    public string Mode { get; }

    public bool UsesCgroups => parents.Count > 0;

    public static ResourceControl Detect(SandboxOptions options)
    {
        if (!OperatingSystem.IsLinux() || !options.UseCgroups)
        {
            return new ResourceControl(options, "watchdog", []);
        }

        var own = OwnCgroups();
        var v2 = TryV2(own);
        if (v2 is not null)
        {
            return new ResourceControl(options, "cgroup v2", [("", v2)]);
        }

        var v1 = new List<(string, string)>();
        foreach (var controller in new[] { "memory", "pids", "cpu" })
        {
            if (TryV1(controller, own) is { } directory)
            {
                v1.Add((controller, directory));
            }
            else if (controller != "cpu")
            {
                RemoveAll(v1);
                return new ResourceControl(options, "watchdog", []);
            }
        }

        return new ResourceControl(options, "cgroup v1", v1);
    }

    public string Describe() => UsesCgroups
        ? $"{Mode}: each session gets {options.SessionMemoryLimitMB} MB of memory for all its processes, /tmp and /mnt/data included, {options.MaxProcesses} processes"
            + (parents.Any(p => p.Controller is "" or "cpu") ? $" and {options.CpuCores.ToString(CultureInfo.InvariantCulture)} CPU" : string.Empty)
            + $" ({string.Join(", ", parents.Select(p => p.Directory))})"
        : $"watchdog: cgroups are not available to AgentHost (not root, or not writable), so a session's summed memory is checked from /proc every {WatchdogInterval.TotalMilliseconds:0} ms during calls; processes are limited per uid by RLIMIT_NPROC";

    public static readonly TimeSpan WatchdogInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>A new cgroup for one session with its limits, or null in watchdog mode.</summary>
    public SessionCgroup? Create(string sessionId)
    {
        if (!UsesCgroups)
        {
            return null;
        }

        var memory = (long)options.SessionMemoryLimitMB * 1024 * 1024;
        // The driver's supervisor and its threads need a few pids beyond the code's own.
        var pids = (options.MaxProcesses + 8).ToString(CultureInfo.InvariantCulture);
        var quota = ((long)(options.CpuCores * 100_000)).ToString(CultureInfo.InvariantCulture);
        var directories = new List<(string Controller, string Directory)>();
        try
        {
            foreach (var (controller, parent) in parents)
            {
                var directory = Path.Combine(parent, sessionId);
                Directory.CreateDirectory(directory);
                directories.Add((controller, directory));
                switch (controller)
                {
                    case "":
                        File.WriteAllText(Path.Combine(directory, "memory.max"), memory.ToString(CultureInfo.InvariantCulture));
                        TryWrite(Path.Combine(directory, "memory.swap.max"), "0");
                        File.WriteAllText(Path.Combine(directory, "pids.max"), pids);
                        TryWrite(Path.Combine(directory, "cpu.max"), $"{quota} 100000");
                        break;
                    case "memory":
                        File.WriteAllText(Path.Combine(directory, "memory.limit_in_bytes"), memory.ToString(CultureInfo.InvariantCulture));
                        TryWrite(Path.Combine(directory, "memory.memsw.limit_in_bytes"), memory.ToString(CultureInfo.InvariantCulture));
                        break;
                    case "pids":
                        File.WriteAllText(Path.Combine(directory, "pids.max"), pids);
                        break;
                    case "cpu":
                        File.WriteAllText(Path.Combine(directory, "cpu.cfs_period_us"), "100000");
                        File.WriteAllText(Path.Combine(directory, "cpu.cfs_quota_us"), quota);
                        break;
                }
            }

            return new SessionCgroup(directories, Mode == "cgroup v2");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            new SessionCgroup(directories, Mode == "cgroup v2").Dispose();
            throw new SandboxUnavailableException($"Could not create the session's cgroup ({exception.Message}); set AgentHost:Sandbox:UseCgroups to false to use the /proc watchdog instead.");
        }
    }

    /// <summary>This process's cgroup per controller (v1 <c>memory</c> → path; v2 under the key <c>""</c>).</summary>
    private static Dictionary<string, string> OwnCgroups()
    {
        var own = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3)
            {
                foreach (var controller in parts[1].Split(','))
                {
                    own[controller] = parts[2];
                }
            }
        }

        return own;
    }

    /// <summary>A pure v2 hierarchy whose cgroup of AgentHost delegates memory and pids to its children.</summary>
    private static string? TryV2(Dictionary<string, string> own)
    {
        if (!File.Exists(Path.Combine(Root, "cgroup.controllers")) || !own.TryGetValue("", out var path))
        {
            return null;
        }

        var mine = Path.Combine(Root, path.TrimStart('/'));
        var delegated = File.Exists(Path.Combine(mine, "cgroup.subtree_control")) ? File.ReadAllText(Path.Combine(mine, "cgroup.subtree_control")).Split(' ', StringSplitOptions.TrimEntries) : [];
        if (!delegated.Contains("memory") || !delegated.Contains("pids"))
        {
            return null;
        }

        return Probe(Path.Combine(mine, "agenthost-sandbox-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));
    }

    private static string? TryV1(string controller, Dictionary<string, string> own)
    {
        var mount = Path.Combine(Root, controller);
        if (!File.Exists(Path.Combine(mount, "cgroup.procs")) || !own.TryGetValue(controller, out var path))
        {
            return null;
        }

        return Probe(Path.Combine(mount, path.TrimStart('/'), "agenthost-sandbox-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Removes AgentHost's parent cgroups (empty once every session has ended).</summary>
    public void Cleanup() => RemoveAll([.. parents]);

    /// <summary>Creates AgentHost's parent cgroup if it can, after removing those left by AgentHost processes that are gone; null when not writable.</summary>
    private static string? Probe(string directory)
    {
        RemoveStale(Path.GetDirectoryName(directory)!);
        try
        {
            Directory.CreateDirectory(directory);
            return File.Exists(Path.Combine(directory, "cgroup.procs")) ? directory : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void RemoveStale(string parent)
    {
        try
        {
            foreach (var stale in Directory.EnumerateDirectories(parent, "agenthost-sandbox-*"))
            {
                var pid = Path.GetFileName(stale)["agenthost-sandbox-".Length..];
                if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && !Directory.Exists($"/proc/{id}"))
                {
                    foreach (var session in Directory.EnumerateDirectories(stale))
                    {
                        TryRemove(session);
                    }

                    TryRemove(stale);
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Nothing to tidy, or not ours to.
        }
    }

    private static void TryRemove(string directory)
    {
        try
        {
            Directory.Delete(directory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Still has members, or gone.
        }
    }

    private static void RemoveAll(List<(string, string Directory)> created)
    {
        foreach (var (_, directory) in created)
        {
            try
            {
                Directory.Delete(directory);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Not empty or gone already.
            }
        }
    }

    private static void TryWrite(string path, string value)
    {
        if (File.Exists(path))
        {
            File.WriteAllText(path, value);
        }
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using AgentHost.Core.Sandbox;

namespace AgentHost.Sandbox;

/// <summary>
/// The command line of one session: <c>setpriv</c> drops to the session's uid (when AgentHost is root), then
/// <c>bwrap</c> builds a root of read-only system pieces and private tmpfs for <c>/mnt/data</c> and <c>/tmp</c>,
/// with no network and its own PID, IPC, UTS and user namespaces.
/// </summary>
internal static class BubblewrapCommand
{
    /// <summary>What Python needs from /etc: BLAS and friends resolve through /etc/alternatives; matplotlib reads its rc and fontconfig.</summary>
    private static readonly string[] EtcPieces =
        ["/etc/alternatives", "/etc/ld.so.cache", "/etc/localtime", "/etc/matplotlibrc", "/etc/fonts", "/etc/python3", "/etc/mime.types"];

    /// <summary>
    /// Joins the session's cgroups and opens the seccomp program as fd 3 while still privileged, then execs the rest:
    /// <c>sh -c … N procs… bpf-file command…</c>.
    /// </summary>
    private const string Wrapper =
        """n=$1; shift; while [ "$n" -gt 0 ]; do printf '%s\n' $$ > "$1" || { echo "cannot join the cgroup $1" >&2; exit 97; }; shift; n=$((n-1)); done; """
        + """b=$1; shift; if [ -n "$b" ]; then exec 3<"$b" || exit 98; fi; exec "$@" """;

    public static IReadOnlyList<string> Arguments(SandboxOptions options, string bubblewrap, string? setpriv, int? uid,
        IReadOnlyList<string>? cgroupProcs = null, string? seccompFile = null)
    {
        var args = new List<string>();
        if (cgroupProcs is { Count: > 0 } || seccompFile is not null)
        {
            args.AddRange(["/bin/sh", "-c", Wrapper, "agenthost-sandbox", (cgroupProcs?.Count ?? 0).ToString(CultureInfo.InvariantCulture)]);
            args.AddRange(cgroupProcs ?? []);
            args.Add(seccompFile ?? string.Empty);
        }

        if (setpriv is not null && uid is int id)
        {
            var u = id.ToString(CultureInfo.InvariantCulture);
            args.AddRange([setpriv, $"--reuid={u}", $"--regid={u}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]);
        }

        args.AddRange([bubblewrap,
            "--unshare-user", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
            "--disable-userns", "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--hostname", "sandbox",
            .. (seccompFile is null ? Array.Empty<string>() : ["--seccomp", "3"]),
            "--clearenv",
            "--setenv", "PATH", "/usr/bin:/bin",
            "--setenv", "HOME", "/tmp",
            "--setenv", "LANG", "C.UTF-8",
            "--setenv", "MPLCONFIGDIR", "/tmp/.matplotlib",
            // One BLAS/OpenMP thread: threads count against RLIMIT_NPROC and each reserves address space.
            "--setenv", "OPENBLAS_NUM_THREADS", "1", "--setenv", "OMP_NUM_THREADS", "1", "--setenv", "MKL_NUM_THREADS", "1",
            "--ro-bind", "/usr", "/usr",
            // Locally installed software (and whatever config sits beside it) is not part of the sandbox's system.
            "--tmpfs", "/usr/local"]);

        foreach (var top in new[] { "/lib", "/lib64", "/bin", "/sbin", "/lib32" })
        {
            AddSystemPath(args, top);
        }

        foreach (var piece in EtcPieces.Concat(PythonEtcDirectories()))
        {
            args.AddRange(["--ro-bind-try", piece, piece]);
        }

        args.AddRange([
            "--proc", "/proc",
            "--dev", "/dev",
            "--size", Bytes(options.TmpSizeMB), "--tmpfs", "/tmp",
            "--size", Bytes(options.DataSizeMB), "--tmpfs", "/mnt/data"]);

        // After the tmpfs mounts, so a bind under /tmp is not hidden by them.
        foreach (var bind in options.ReadOnlyBinds)
        {
            args.AddRange(["--ro-bind", bind, bind]);
        }

        args.AddRange([
            "--remount-ro", "/",
            "--chdir", "/mnt/data",
            options.PythonPath, "-I", "-c", DriverScript.Source, Limits(options)]);
        return args;
    }

    private static void AddSystemPath(List<string> args, string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } target)
        {
            args.AddRange(["--symlink", target, path]);
        }
        else if (Directory.Exists(path))
        {
            args.AddRange(["--ro-bind", path, path]);
        }
    }

    private static IEnumerable<string> PythonEtcDirectories() =>
        Directory.Exists("/etc") ? Directory.EnumerateDirectories("/etc", "python3.*") : [];

    private static string Bytes(int megabytes) => ((long)megabytes * 1024 * 1024).ToString(CultureInfo.InvariantCulture);

    private static string Limits(SandboxOptions options) => new JsonObject
    {
        ["memory_bytes"] = (long)options.MemoryLimitMB * 1024 * 1024,
        ["max_processes"] = options.MaxProcesses,
        ["max_file_bytes"] = (long)options.MaxFileSizeMB * 1024 * 1024,
        ["cpu_seconds"] = options.CpuSecondsPerCall,
        ["session_cpu_seconds"] = options.CpuSecondsPerSession,
        ["max_files_per_call"] = options.MaxFilesPerCall,
        ["max_file_bytes_per_call"] = options.MaxFileBytesPerCall,
        ["max_images_per_call"] = options.MaxImagesPerCall,
        ["max_image_bytes"] = options.MaxImageBytes,
        ["scan_limit"] = options.ScanLimit,
        ["preload"] = new JsonArray([.. options.Preload.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(m => (JsonNode)m)]),
    }.ToJsonString();
}

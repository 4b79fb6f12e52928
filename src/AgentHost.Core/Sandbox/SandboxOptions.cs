namespace AgentHost.Core.Sandbox;

/// <summary>Limits and locations for sandbox sessions (<c>AgentHost:Sandbox</c>).</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "AgentHost:Sandbox";

    /// <summary>Interpreter inside the sandbox; Debian's, which has pandas, numpy and matplotlib.</summary>
    public string PythonPath { get; set; } = "/usr/bin/python3";

    public string BubblewrapPath { get; set; } = "bwrap";

    /// <summary>Wall time of one call; the code is interrupted, then the session killed if it ignores that.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How long an interrupted call may take to stop before its session is killed.</summary>
    public TimeSpan InterruptGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a new session may take to start (preloading included).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int CpuSecondsPerCall { get; set; } = 60;

    /// <summary>CPU time of a session over its whole life (RLIMIT_CPU hard limit).</summary>
    public int CpuSecondsPerSession { get; set; } = 3600;

    /// <summary>Address space of the Python process (RLIMIT_AS).</summary>
    public int MemoryLimitMB { get; set; } = 2048;

    /// <summary>Processes and threads of the session's user (RLIMIT_NPROC).</summary>
    public int MaxProcesses { get; set; } = 64;

    /// <summary>Largest file the code may write (RLIMIT_FSIZE).</summary>
    public int MaxFileSizeMB { get; set; } = 256;

    /// <summary>Size of the session's private <c>/mnt/data</c> (tmpfs).</summary>
    public int DataSizeMB { get; set; } = 512;

    /// <summary>Size of the session's private <c>/tmp</c> (tmpfs).</summary>
    public int TmpSizeMB { get; set; } = 256;

    /// <summary>stdout+stderr kept per call; past it the call is stopped.</summary>
    public int MaxOutputBytes { get; set; } = 1 << 20;

    /// <summary>Files changed in <c>/mnt/data</c> that one call brings back; more are left in place with a note in the logs.</summary>
    public int MaxFilesPerCall { get; set; } = 100;

    /// <summary>Total bytes of the files one call brings back.</summary>
    public long MaxFileBytesPerCall { get; set; } = 256L * 1024 * 1024;

    /// <summary>Figures one call shows; more are dropped with a note in the logs.</summary>
    public int MaxImagesPerCall { get; set; } = 20;

    /// <summary>Largest figure (PNG) a call may show.</summary>
    public int MaxImageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Entries of <c>/mnt/data</c> looked at per call to find changed files, so a million files cost a bounded scan.</summary>
    public int ScanLimit { get; set; } = 20_000;

    /// <summary>
    /// Put each session in a cgroup (memory including its tmpfs, processes, CPU) when the host lets AgentHost create
    /// them (v2 with memory and pids delegated, or v1 as root); otherwise, or when false, a /proc watchdog checks memory.
    /// </summary>
    public bool UseCgroups { get; set; } = true;

    /// <summary>
    /// Memory of a whole session — all its processes, and the files in its <c>/tmp</c> and <c>/mnt/data</c> — enforced by
    /// its cgroup (or the watchdog); past it the session is killed. <see cref="MemoryLimitMB"/> bounds each process.
    /// </summary>
    public int SessionMemoryLimitMB { get; set; } = 3072;

    /// <summary>CPU time a session may use per second of wall time, in CPUs (cgroup CPU quota), whatever its process count.</summary>
    public double CpuCores { get; set; } = 1.0;

    /// <summary>Deny the system calls Python never needs (io_uring, bpf, ptrace, mount, keyctl, …) with a seccomp filter (x86_64).</summary>
    public bool Seccomp { get; set; } = true;

    /// <summary>Sessions alive at once across AgentHost (threads, containers, spare); a start past it waits, then fails saying so.</summary>
    public int MaxSessions { get; set; } = 32;

    /// <summary>When AgentHost runs as root, each session runs as its own uid from this range (so RLIMIT_NPROC is per session).</summary>
    public int UidRangeStart { get; set; } = 61000;

    public int UidRangeCount { get; set; } = 1000;

    /// <summary>
    /// Modules imported when a session starts, comma-separated, so the first call that uses them is fast; empty for
    /// none. (A string, not a list: configuration binding appends to a list's defaults instead of replacing them.)
    /// </summary>
    public string Preload { get; set; } = "pandas,matplotlib.pyplot";

    /// <summary>Keep one started session in reserve so a new thread's first call starts warm.</summary>
    public bool PrewarmSession { get; set; } = true;

    /// <summary>Extra host paths bound read-only into every session (same path inside).</summary>
    public string[] ReadOnlyBinds { get; set; } = [];
}

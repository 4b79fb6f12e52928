using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace AgentHost.Sandbox.Resources;

/// <summary>
/// A seccomp BPF program (classic BPF, as <c>bwrap --seccomp</c> takes it) that makes the system calls Python never
/// needs fail with EPERM: io_uring, userfaultfd, keys, bpf, perf events, ptrace, mounts, modules, kexec, reboot,
/// namespaces, clock and swap changes, handle-based opens, cross-process memory access. Other architectures than the
/// one it was built for, and x32 calls, are refused. Built here, so no seccomp package is needed.
/// </summary>
internal static class SeccompFilter
{
    private const uint AuditArchX8664 = 0xC000003E;
    private const uint X32SyscallBit = 0x40000000;
    private const uint ReturnAllow = 0x7FFF0000;
    private const uint ReturnKillProcess = 0x80000000;
    private const uint ReturnErrnoEperm = 0x00050000 | 1;

    /// <summary>x86_64 numbers of the denied calls, with their names for the docs and logs.</summary>
    public static readonly IReadOnlyList<(string Name, uint Number)> Denied =
    [
        ("io_uring_setup", 425), ("io_uring_enter", 426), ("io_uring_register", 427), ("userfaultfd", 323),
        ("keyctl", 250), ("add_key", 248), ("request_key", 249), ("bpf", 321), ("perf_event_open", 298),
        ("ptrace", 101), ("process_vm_readv", 310), ("process_vm_writev", 311),
        ("mount", 165), ("umount2", 166), ("pivot_root", 155), ("fsopen", 430), ("fsconfig", 431), ("fsmount", 432),
        ("fspick", 433), ("move_mount", 429), ("open_tree", 428), ("mount_setattr", 442),
        ("unshare", 272), ("setns", 308), ("init_module", 175), ("finit_module", 313), ("delete_module", 176),
        ("kexec_load", 246), ("kexec_file_load", 320), ("reboot", 169), ("swapon", 167), ("swapoff", 168),
        ("open_by_handle_at", 304), ("name_to_handle_at", 303), ("quotactl", 179), ("acct", 163),
        ("settimeofday", 164), ("clock_settime", 227), ("adjtimex", 159), ("clock_adjtime", 305), ("syslog", 103),
        ("vhangup", 153), ("lookup_dcookie", 212),
    ];

    /// <summary>Null when the filter is only built for x86_64 and this is another architecture.</summary>
    public static byte[]? Build()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return null;
        }

        var program = new List<(ushort Code, byte True, byte False, uint K)>
        {
            (0x20, 0, 0, 4),                        // A = seccomp_data.arch
            (0x15, 1, 0, AuditArchX8664),           // if A == x86_64 skip the kill
            (0x06, 0, 0, ReturnKillProcess),
            (0x20, 0, 0, 0),                        // A = seccomp_data.nr
        };
        var denyAt = program.Count + 1 + Denied.Count + 1; // after the x32 test, the comparisons and the allow
        program.Add((0x35, (byte)(denyAt - program.Count - 1), 0, X32SyscallBit)); // x32 calls: deny
        foreach (var (_, number) in Denied)
        {
            program.Add((0x15, (byte)(denyAt - program.Count - 1), 0, number));
        }

        program.Add((0x06, 0, 0, ReturnAllow));
        program.Add((0x06, 0, 0, ReturnErrnoEperm));

        var bytes = new byte[program.Count * 8];
        for (var i = 0; i < program.Count; i++)
        {
            var (code, jt, jf, k) = program[i];
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 8), code);
            bytes[i * 8 + 2] = jt;
            bytes[i * 8 + 3] = jf;
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 8 + 4), k);
        }

        return bytes;
    }
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace AgentHost.Sandbox.Resources;

/// <summary>
/// A seccomp BPF program (classic BPF, as <c>bwrap --seccomp</c> takes it) that makes the system calls Python never
/// needs fail with EPERM: io_uring, userfaultfd, keys, bpf, perf events, ptrace, mounts, modules, kexec, reboot,
/// namespaces, clock and swap changes, handle-based opens, cross-process memory access. Built here for x86_64 and
/// aarch64 (each with its own system call numbers, as libseccomp resolves them; a test checks them against
/// <c>scmp_sys_resolver</c>), so no seccomp package is needed at run time. Calls of any other architecture (x86_64's
/// x32 calls, 32-bit ARM calls on aarch64, i386 calls) kill the process or fail.
/// </summary>
internal static class SeccompFilter
{
    private const uint AuditArchX8664 = 0xC000003E;
    private const uint AuditArchAarch64 = 0xC00000B7;
    private const uint X32SyscallBit = 0x40000000;
    private const uint ReturnAllow = 0x7FFF0000;
    private const uint ReturnKillProcess = 0x80000000;
    private const uint ReturnErrnoEperm = 0x00050000 | 1;

    /// <summary>The denied calls: their names (for the docs and logs) and their numbers on x86_64 and on aarch64.</summary>
    public static readonly IReadOnlyList<(string Name, uint X8664, uint Aarch64)> Denied =
    [
        ("io_uring_setup", 425, 425), ("io_uring_enter", 426, 426), ("io_uring_register", 427, 427), ("userfaultfd", 323, 282),
        ("keyctl", 250, 219), ("add_key", 248, 217), ("request_key", 249, 218), ("bpf", 321, 280),
        ("perf_event_open", 298, 241), ("ptrace", 101, 117), ("process_vm_readv", 310, 270), ("process_vm_writev", 311, 271),
        ("mount", 165, 40), ("umount2", 166, 39), ("pivot_root", 155, 41), ("fsopen", 430, 430),
        ("fsconfig", 431, 431), ("fsmount", 432, 432), ("fspick", 433, 433), ("move_mount", 429, 429),
        ("open_tree", 428, 428), ("mount_setattr", 442, 442), ("unshare", 272, 97), ("setns", 308, 268),
        ("init_module", 175, 105), ("finit_module", 313, 273), ("delete_module", 176, 106), ("kexec_load", 246, 104),
        ("kexec_file_load", 320, 294), ("reboot", 169, 142), ("swapon", 167, 224), ("swapoff", 168, 225),
        ("open_by_handle_at", 304, 265), ("name_to_handle_at", 303, 264), ("quotactl", 179, 60), ("acct", 163, 89),
        ("settimeofday", 164, 170), ("clock_settime", 227, 112), ("adjtimex", 159, 171), ("clock_adjtime", 305, 266),
        ("syslog", 103, 116), ("vhangup", 153, 58), ("lookup_dcookie", 212, 18),
    ];

    /// <summary>The program for the architecture this process runs on; null on one it is not built for.</summary>
    public static byte[]? Build() => Build(RuntimeInformation.ProcessArchitecture);

    /// <summary>The program for <paramref name="architecture"/>: x86_64 or aarch64; null for any other.</summary>
    public static byte[]? Build(Architecture architecture)
    {
        var (auditArch, x32) = architecture switch
        {
            Architecture.X64 => (AuditArchX8664, true),
            Architecture.Arm64 => (AuditArchAarch64, false),
            _ => (0u, false),
        };
        if (auditArch == 0)
        {
            return null;
        }

        var program = new List<(ushort Code, byte True, byte False, uint K)>
        {
            (0x20, 0, 0, 4),                        // A = seccomp_data.arch
            (0x15, 1, 0, auditArch),                // if A == the architecture built for, skip the kill
            (0x06, 0, 0, ReturnKillProcess),
            (0x20, 0, 0, 0),                        // A = seccomp_data.nr
        };
        // The deny return comes after the x32 test (x86_64 only), the comparisons and the allow.
        var denyAt = program.Count + (x32 ? 1 : 0) + Denied.Count + 1;
        if (x32)
        {
            program.Add((0x35, (byte)(denyAt - program.Count - 1), 0, X32SyscallBit)); // x32 calls (nr >= 0x40000000): deny
        }

        foreach (var (_, x8664, aarch64) in Denied)
        {
            program.Add((0x15, (byte)(denyAt - program.Count - 1), 0, x32 ? x8664 : aarch64));
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

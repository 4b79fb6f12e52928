using System.Collections.Concurrent;
using System.Diagnostics;

namespace AgentHost.Server.ManagedAgents;

/// <summary>
/// Whether a package an environment lists is already on this host, which the sandbox sees read-only: Debian packages
/// through <c>dpkg-query</c>, Python distributions through the host's <c>python3</c>. Nothing is installed; answers
/// are remembered for the process's life.
/// </summary>
internal sealed class HostPackages
{
    private readonly ConcurrentDictionary<string, string?> answers = new(StringComparer.Ordinal);

    /// <summary>Null when the host has the package; else why the environment cannot have it.</summary>
    public string? Missing(string manager, string spec) => answers.GetOrAdd($"{manager}\n{spec}", _ => Check(manager, spec));

    private static string? Check(string manager, string spec)
    {
        var name = spec.Split(['=', '<', '>', '!', '~', '[', ' ', ';', '@'], 2)[0].Trim();
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '+'))
        {
            return $"is not a package name AgentHost can look up.";
        }

        return manager switch
        {
            "apt" => Run("dpkg-query", ["-W", "-f=${Status}", name]) is { } status && status.Contains("install ok installed", StringComparison.Ordinal)
                ? null
                : $"is not installed on this host. AgentHost installs nothing into sandboxes: install it on the host (apt-get install {name}) and try again.",
            "pip" => Run("python3", ["-c", "import importlib.metadata,sys; importlib.metadata.version(sys.argv[1])", name]) is not null
                ? null
                : $"is not installed in the host's python3. AgentHost installs nothing into sandboxes: install it on the host (pip install {name}) and try again.",
            _ => $"cannot be provided: AgentHost satisfies only apt and pip packages already on the host, and installs nothing into sandboxes.",
        };
    }

    /// <summary>The command's output when it exits 0 within 10 s; else null.</summary>
    private static string? Run(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            return process.ExitCode == 0 ? output.Result : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

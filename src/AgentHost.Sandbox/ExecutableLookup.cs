namespace AgentHost.Sandbox;

/// <summary>Resolves a program name on PATH (or checks an absolute path), as a shell would.</summary>
internal static class ExecutableLookup
{
    public static string? Find(string name)
    {
        if (name.Contains('/'))
        {
            return File.Exists(name) ? name : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }
}

namespace AgentHost.Sandbox;

/// <summary>The Python REPL driver (Python/driver.py), embedded so the sandbox needs no file of ours on disk.</summary>
internal static class DriverScript
{
    public static string Source { get; } = Load();

    private static string Load()
    {
        using var stream = typeof(DriverScript).Assembly.GetManifestResourceStream("AgentHost.Sandbox.driver.py")
            ?? throw new InvalidOperationException("The sandbox driver script is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

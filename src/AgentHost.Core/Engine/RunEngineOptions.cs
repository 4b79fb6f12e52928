namespace AgentHost.Core.Engine;

/// <summary>Settings of the run engine (configuration section <c>AgentHost:Runs</c>).</summary>
public sealed class RunEngineOptions
{
    /// <summary>How long a run may wait in <c>requires_action</c> (the original service: 10 minutes).</summary>
    public TimeSpan RequiresActionTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a worker's claim on a run lasts without renewal; a crashed worker's runs resume after it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the worker looks for runs to resume and runs to expire.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs executed at once by this process. 0: it executes none and only serves the API (with many nodes, the runs it
    /// accepts are taken by the others' sweeps after <see cref="LeaseDuration"/>).
    /// </summary>
    public int MaxConcurrentRuns { get; set; } = 256;

    /// <summary>A run that calls the model more often than this fails, so a tool loop cannot run forever.</summary>
    public int MaxModelCallsPerRun { get; set; } = 64;

    /// <summary>Context window assumed for models without an entry in <see cref="ContextWindows"/>.</summary>
    public int DefaultContextWindow { get; set; } = 128_000;

    /// <summary>Context window per model name prefix, e.g. <c>"claude-": 200000</c>.</summary>
    public Dictionary<string, int> ContextWindows { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["claude-"] = 200_000,
        ["gpt-4.1"] = 1_047_576,
        ["gpt-5"] = 400_000,
        ["gpt-4o"] = 128_000,
        ["o1"] = 200_000,
        ["o3"] = 200_000,
        ["o4"] = 200_000,
    };

    /// <summary>Tokens kept free for the answer when the context window bounds the prompt.</summary>
    public int OutputReserveTokens { get; set; } = 4_096;

    public int ContextWindowFor(string model)
    {
        var best = ContextWindows.Where(p => model.StartsWith(p.Key, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(p => p.Key.Length).Select(p => (int?)p.Value).FirstOrDefault();
        return best ?? DefaultContextWindow;
    }
}

namespace AgentHost.Core.Tools;

/// <summary>The tool sources registered in this process, by the tool types they serve.</summary>
public sealed class ToolSources
{
    private readonly Dictionary<string, IToolSource> byType = new(StringComparer.Ordinal);

    public ToolSources(IEnumerable<IToolSource> sources)
    {
        foreach (var source in sources)
        {
            foreach (var type in source.Types)
            {
                // The last registration of a type wins, so a host (or a test) can replace a built-in source.
                byType[type] = source;
            }
        }
    }

    /// <summary>The types served, for error messages listing what a request may name.</summary>
    public IReadOnlyCollection<string> Types => byType.Keys;

    /// <summary>The source serving <paramref name="type"/>, or null.</summary>
    public IToolSource? For(string type) => byType.GetValueOrDefault(type);
}

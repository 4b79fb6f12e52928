namespace AgentHost.Server.Hosting.Cli;

/// <summary>The <c>--name value</c> pairs of a command; an unknown name or a name without its value is an <see cref="ArgumentException"/>.</summary>
internal static class CommandLineOptions
{
    public static Dictionary<string, string> Parse(IEnumerable<string> args, params string[] known)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        using var items = args.GetEnumerator();
        while (items.MoveNext())
        {
            var name = items.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !items.MoveNext())
            {
                throw new ArgumentException($"Expected --option value, got '{name}'.");
            }

            options[name[2..]] = items.Current;
        }

        var unknown = options.Keys.Except(known).FirstOrDefault();
        return unknown is null ? options : throw new ArgumentException($"Unknown option --{unknown}.");
    }
}

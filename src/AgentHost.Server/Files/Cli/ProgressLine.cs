namespace AgentHost.Server.Files.Cli;

/// <summary>
/// One progress line: on a terminal it is redrawn in place (carriage return); otherwise each change is written as its
/// own line, so logs and tests see every step.
/// </summary>
internal sealed class ProgressLine(TextWriter output)
{
    private readonly bool inPlace = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
    private string? last;

    public static string Bar(int done, int total, int width = 30)
    {
        var filled = total == 0 ? width : (int)((long)done * width / total);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }

    public void Show(string line)
    {
        if (line == last)
        {
            return;
        }

        if (inPlace)
        {
            output.Write("\r" + line.PadRight(last?.Length ?? 0));
        }
        else
        {
            output.WriteLine(line);
        }

        last = line;
    }

    /// <summary>Finishes the line in place, so what follows starts on a new one.</summary>
    public void End()
    {
        if (inPlace && last is not null)
        {
            output.WriteLine();
        }

        last = null;
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentHost.Core.FileSearch;

/// <summary>
/// The citation markers of file search, in the original's form <c>【{call}:{result}†{file name}】</c>: <c>call</c>
/// counts the run's earlier file_search calls (calls the model makes in the same turn share it; the file name then
/// tells them apart), <c>result</c> is the result's position in that call. The model is shown each result under its marker and told to copy it.
/// </summary>
public static partial class CitationMarkers
{
    public static string Format(int call, int result, string fileName) =>
        string.Create(CultureInfo.InvariantCulture, $"【{call}:{result}†{fileName}】");

    public static IEnumerable<(int Call, int Result, string FileName, int Start, int Length)> Find(string text)
    {
        foreach (Match match in Marker().Matches(text))
        {
            yield return (int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture),
                int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture),
                match.Groups[3].Value, match.Index, match.Length);
        }
    }

    /// <summary>What the model reads back from a call: instructions, then each result under its marker.</summary>
    public static string ToolOutput(int call, IReadOnlyList<string> queries, IReadOnlyList<FileSearchResult> results)
    {
        var output = new StringBuilder();
        output.Append(CultureInfo.InvariantCulture, $"File search for {string.Join("; ", queries.Select(q => $"\"{q}\""))}: {results.Count} result(s).\n");
        if (results.Count == 0)
        {
            return output.Append("Nothing relevant was found in the files.").ToString();
        }

        output.Append("Answer from these results. After each statement taken from a result, cite it by copying its marker exactly, e.g. ")
            .Append(Format(call, 0, results[0].FileName)).Append(".\n");
        for (var index = 0; index < results.Count; index++)
        {
            output.Append('\n').Append(Format(call, index, results[index].FileName))
                .Append(CultureInfo.InvariantCulture, $" (score {results[index].Score:0.000})\n")
                .Append(results[index].Text).Append('\n');
        }

        return output.ToString();
    }

    [GeneratedRegex(@"【(\d+):(\d+)†([^】]*)】")]
    private static partial Regex Marker();
}

using System.Text.Json;

namespace AgentHost.Server.Tests.Conformance;

/// <summary>
/// Compares the property names of two JSON documents, recursively, by path (<c>usage.prompt_tokens</c>,
/// <c>content[].text.value</c>): the "field for field" check against a recording. Values are not
/// compared, array items are merged whatever their count, and below a null or an empty array on
/// either side nothing is compared, since that side shows no shape there.
/// </summary>
internal static class JsonShape
{
    public static JsonShapeDifference Compare(JsonElement recorded, JsonElement live)
    {
        var (recordedPaths, recordedOpaque) = Collect(recorded);
        var (livePaths, liveOpaque) = Collect(live);
        return new JsonShapeDifference(
            Missing: [.. recordedPaths.Except(livePaths).Where(p => !IsBelow(p, liveOpaque)).Order(StringComparer.Ordinal)],
            Extra: [.. livePaths.Except(recordedPaths).Where(p => !IsBelow(p, recordedOpaque)).Order(StringComparer.Ordinal)]);
    }

    public static void AssertSameShape(JsonElement recorded, JsonElement live)
    {
        var difference = Compare(recorded, live);
        Assert.True(difference.IsEmpty, difference.ToString());
    }

    /// <summary>Every property path in the document.</summary>
    public static IReadOnlySet<string> PropertyPaths(JsonElement element) => Collect(element).Paths;

    private static (HashSet<string> Paths, HashSet<string> Opaque) Collect(JsonElement root)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        var opaque = new HashSet<string>(StringComparer.Ordinal);
        Walk(root, "", paths, opaque);
        return (paths, opaque);
    }

    private static void Walk(JsonElement element, string path, HashSet<string> paths, HashSet<string> opaque)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var child = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    paths.Add(child);
                    Walk(property.Value, child, paths, opaque);
                }

                break;
            case JsonValueKind.Array when element.GetArrayLength() == 0:
            case JsonValueKind.Null:
                opaque.Add(path);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, path + "[]", paths, opaque);
                }

                break;
        }
    }

    private static bool IsBelow(string path, HashSet<string> opaque) =>
        opaque.Any(o => o.Length == 0 || path.StartsWith(o + ".", StringComparison.Ordinal) || path.StartsWith(o + "[]", StringComparison.Ordinal));
}

namespace AgentHost.Storage.Postgres;

/// <summary>
/// PostgreSQL's <c>text</c> and <c>jsonb</c> cannot hold the NUL character (U+0000), which extracted documents and
/// model output sometimes contain; it is stored as U+FFFD, the replacement character.
/// </summary>
internal static class PostgresText
{
    public static string Clean(string text) => text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', '\uFFFD') : text;

    /// <summary>Replaces the JSON escape <c>\u0000</c> (not an escaped backslash followed by <c>u0000</c>) with <c>\uFFFD</c>.</summary>
    public static string CleanJson(string json)
    {
        var at = json.IndexOf("\\u0000", StringComparison.Ordinal);
        if (at < 0)
        {
            return json;
        }

        var builder = new System.Text.StringBuilder(json.Length);
        var start = 0;
        for (; at >= 0; at = json.IndexOf("\\u0000", at + 1, StringComparison.Ordinal))
        {
            var backslashes = 0;
            for (var i = at - 1; i >= 0 && json[i] == '\\'; i--)
            {
                backslashes++;
            }

            if (backslashes % 2 == 0)
            {
                builder.Append(json, start, at - start).Append("\\uFFFD");
                start = at + 6;
            }
        }

        return builder.Append(json, start, json.Length - start).ToString();
    }
}

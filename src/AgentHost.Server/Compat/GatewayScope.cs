using System.Globalization;
using System.Text.Json;
using AgentHost.Core.Errors;
using AgentHost.Core.Observability;

namespace AgentHost.Server.Compat;

/// <summary>
/// The scope of a gateway call (<c>/v1/messages</c>, <c>/v1/chat/completions</c>): its gateway session, from the
/// <c>x-agenthost-session</c> header, else Claude Code's <c>x-claude-code-session-id</c>, else the
/// <c>session_id</c> in a Messages request's <c>metadata.user_id</c>, else a new session of its own; and a session
/// budget from <c>x-agenthost-session-budget-usd</c> / <c>-tokens</c>. The session id goes back in the
/// <c>x-agenthost-session</c> response header.
/// </summary>
internal static class GatewayScope
{
    public const string SessionHeader = "x-agenthost-session";
    public const string ClaudeCodeSessionHeader = "x-claude-code-session-id";
    public const string BudgetUsdHeader = "x-agenthost-session-budget-usd";
    public const string BudgetTokensHeader = "x-agenthost-session-budget-tokens";
    private const int MaxSessionIdLength = 128;

    /// <param name="threadSession">The session of the Messages thread the call continues: its turns stay together unless the request names another.</param>
    public static ModelCallScope For(HttpContext http, string entryPoint, JsonElement? metadata = null, string? threadSession = null)
    {
        var headers = http.Request.Headers;
        var session = Header(headers[SessionHeader], SessionHeader)
            ?? Header(headers[ClaudeCodeSessionHeader], ClaudeCodeSessionHeader)
            ?? FromUserId(metadata)
            ?? threadSession
            ?? "sess_" + Guid.NewGuid().ToString("N")[..24];
        http.Response.Headers[SessionHeader] = session;
        return new ModelCallScope
        {
            EntryPoint = entryPoint,
            SessionId = session,
            SessionBudgetUsd = Budget<decimal>(headers[BudgetUsdHeader], BudgetUsdHeader, s => decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : (decimal?)null),
            SessionBudgetTokens = Budget<long>(headers[BudgetTokensHeader], BudgetTokensHeader, s => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : (long?)null),
        };
    }

    /// <summary>
    /// Claude Code's <c>metadata.user_id</c>: a JSON string holding <c>session_id</c> (current versions), or
    /// <c>user_…_account_…_session_{uuid}</c> (earlier ones).
    /// </summary>
    internal static string? FromUserId(JsonElement? metadata)
    {
        if (metadata is not { ValueKind: JsonValueKind.Object } m || !m.TryGetProperty("user_id", out var userId) || userId.GetString() is not { Length: > 0 } text)
        {
            return null;
        }

        if (text[0] == '{')
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("session_id", out var id)
                    && id.ValueKind == JsonValueKind.String
                    && id.GetString() is { Length: > 0 and <= MaxSessionIdLength } session
                        ? session
                        : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        var marker = text.LastIndexOf("_session_", StringComparison.Ordinal);
        return marker >= 0 && text[(marker + 9)..] is { Length: > 0 and <= MaxSessionIdLength } legacy ? legacy : null;
    }

    private static string? Header(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return value.Length <= MaxSessionIdLength && value.All(c => c is > ' ' and < (char)127)
            ? value
            : throw ApiException.Invalid($"Invalid '{name}' header: expected up to {MaxSessionIdLength} printable ASCII characters without spaces.", name, "invalid_value");
    }

    private static T? Budget<T>(string? value, string name, Func<string, T?> parse)
        where T : struct =>
        string.IsNullOrEmpty(value)
            ? null
            : parse(value) ?? throw ApiException.Invalid($"Invalid '{name}' header: '{value}' is not a non-negative number.", name, "invalid_value");
}

namespace AgentHost.Server.Tenancy;

/// <summary>The caller of one request, resolved once by the authentication middleware.</summary>
/// <param name="Project">The project the caller acts in; null for the admin (every project).</param>
/// <param name="KeyId">The project key's id (<c>key_…</c>); null for the single configured key and the admin.</param>
internal sealed record Caller(CallerKind Kind, string? Project, string? KeyId)
{
    private const string ItemKey = "agenthost.caller";

    public static readonly Caller Open = new(CallerKind.Open, Core.Storage.Projects.Default, null);
    public static readonly Caller Admin = new(CallerKind.Admin, null, null);
    public static readonly Caller DefaultProject = new(CallerKind.Project, Core.Storage.Projects.Default, null);

    /// <summary>The key per-key rate limits count this caller under: a project key's id, <c>api_key</c> for the single configured key, else none.</summary>
    public string? RateLimitKey => KeyId ?? (Kind == CallerKind.Project ? "api_key" : null);

    public static Caller Of(HttpContext http) => http.Items.TryGetValue(ItemKey, out var caller) && caller is Caller known ? known : Open;

    public void AttachTo(HttpContext http) => http.Items[ItemKey] = this;
}

namespace AgentHost.Observability.RateLimits;

/// <summary>One counter a call is charged to and its limits (null = none): a project's or a key's, for one model.</summary>
/// <param name="Owner">Who the counter is for, as messages name it (<c>project proj_…</c>, <c>key key_…</c>).</param>
internal sealed record RateLimitRule(string Bucket, string Owner, long? Requests, long? Tokens);

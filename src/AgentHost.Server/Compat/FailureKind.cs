namespace AgentHost.Server.Compat;

/// <summary>Why a compatible-endpoint call failed, in terms both the Anthropic and the OpenAI error envelopes can render.</summary>
internal enum FailureKind
{
    InvalidRequest,
    Authentication,
    Permission,
    NotFound,
    RateLimit,
    Api,
    Timeout,
    Overloaded,
}

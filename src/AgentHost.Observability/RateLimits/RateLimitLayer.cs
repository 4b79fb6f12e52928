using AgentHost.Core.Models;
using Microsoft.Extensions.AI;

namespace AgentHost.Observability.RateLimits;

/// <summary>Puts <see cref="RateLimitedChatClient"/> around every model the router serves (registered first: outermost).</summary>
internal sealed class RateLimitLayer(RateLimiter limiter) : IModelCallLayer
{
    public IChatClient Wrap(IChatClient inner, string model) => new RateLimitedChatClient(inner, model, limiter);
}

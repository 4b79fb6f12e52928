using AgentHost.Providers.Routing;
using Microsoft.Extensions.AI;

namespace AgentHost.Providers.Resilience;

/// <summary>The model tried once after another model's attempts are exhausted.</summary>
internal sealed record FallbackClient(ModelTarget Target, IChatClient Client);

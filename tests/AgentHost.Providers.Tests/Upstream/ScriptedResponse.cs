using Microsoft.AspNetCore.Http;

namespace AgentHost.Providers.Tests.Upstream;

/// <summary>Writes one canned upstream response.</summary>
internal delegate Task ScriptedResponse(HttpContext context);

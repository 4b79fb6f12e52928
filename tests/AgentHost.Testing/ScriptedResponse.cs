using Microsoft.AspNetCore.Http;

namespace AgentHost.Testing;

/// <summary>Writes one canned upstream response.</summary>
public delegate Task ScriptedResponse(HttpContext context);

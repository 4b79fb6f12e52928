using AgentHost.Core.Models;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tests.Support;

/// <summary>Routes every model name to one scripted client.</summary>
public sealed class ScriptedModelRouter(IChatClient client) : IModelRouter
{
    public IChatClient GetClient(string model) => client;

    public IReadOnlyList<string> KnownModels => ["gpt-4o"];
}

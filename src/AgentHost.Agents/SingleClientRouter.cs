using AgentHost.Core.Models;
using Microsoft.Extensions.AI;

namespace AgentHost.Agents;

/// <summary>Serves every model name with one chat client, for applications that bring their own <see cref="IChatClient"/>.</summary>
internal sealed class SingleClientRouter(IChatClient client) : IModelRouter
{
    public IChatClient GetClient(string model) => client;

    public IReadOnlyList<string> KnownModels => [];
}

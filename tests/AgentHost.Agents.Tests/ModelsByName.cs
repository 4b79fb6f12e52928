using AgentHost.Core.Models;
using Microsoft.Extensions.AI;

namespace AgentHost.Agents.Tests;

/// <summary>A scripted model per model name, so agents on different models (a parent and its sub-agents) are scripted apart.</summary>
internal sealed class ModelsByName : IModelRouter
{
    private readonly Dictionary<string, ScriptedChatClient> clients = new(StringComparer.Ordinal);

    public ScriptedChatClient this[string model] => clients.TryGetValue(model, out var client) ? client : clients[model] = new ScriptedChatClient();

    public IChatClient GetClient(string model) => this[model];

    public IReadOnlyList<string> KnownModels => [.. clients.Keys];
}

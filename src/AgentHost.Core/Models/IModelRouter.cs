using Microsoft.Extensions.AI;

namespace AgentHost.Core.Models;

/// <summary>Finds the chat client that serves a model name (provider routing, aliases, retries and fallback are its business).</summary>
public interface IModelRouter
{
    /// <summary>Returns a client for <paramref name="model"/>, or throws <see cref="ModelUnavailableException"/> saying how to configure it.</summary>
    IChatClient GetClient(string model);

    /// <summary>The model names and aliases this router knows, for listing.</summary>
    IReadOnlyList<string> KnownModels { get; }
}

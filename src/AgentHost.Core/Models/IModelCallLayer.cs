using Microsoft.Extensions.AI;

namespace AgentHost.Core.Models;

/// <summary>
/// A layer of the model-call pipeline: the router wraps each model's resilient provider client in every registered
/// layer (observability is one), so every call from every front door passes through them.
/// </summary>
public interface IModelCallLayer
{
    /// <summary>Wraps <paramref name="inner"/>, the client that serves <paramref name="model"/> (the name as asked, alias included).</summary>
    IChatClient Wrap(IChatClient inner, string model);
}

using AgentHost.Core.Models;
using Microsoft.Extensions.AI;

namespace AgentHost.Observability;

/// <summary>Puts <see cref="ObservedChatClient"/> around every model the router serves.</summary>
internal sealed class ObservabilityLayer(ModelCallRecording recording) : IModelCallLayer
{
    public IChatClient Wrap(IChatClient inner, string model) => new ObservedChatClient(inner, model, recording);
}

using AgentHost.Core.Domain;

namespace AgentHost.Core.Events;

/// <summary>A model call finished: the model asked for and the one that answered, the tokens it used and why it stopped.</summary>
public sealed record ModelCallEnded(string Model, string? ResponseModel, Usage Usage, string? FinishReason) : AgentEvent;

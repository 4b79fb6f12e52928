using AgentHost.Core.Domain;

namespace AgentHost.Core.Engine;

/// <summary>The message a run's last turn completed and the step that wrote it, saved with the run's end.</summary>
public sealed record RunOutput(ThreadMessage Message, RunStep Step);

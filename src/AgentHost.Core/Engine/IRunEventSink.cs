namespace AgentHost.Core.Engine;

/// <summary>Where the engine reports what a run does, as it happens, for streaming clients.</summary>
public interface IRunEventSink
{
    void Publish(string runId, RunEvent runEvent);
}

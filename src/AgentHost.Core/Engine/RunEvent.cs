using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using AgentHost.Core.Domain;
using AgentHost.Core.Json;

namespace AgentHost.Core.Engine;

/// <summary>A server-sent event of a run, named as the Assistants API names it (<c>thread.run.completed</c>, …).</summary>
public sealed class RunEvent
{
    private readonly object data;
    private readonly JsonTypeInfo typeInfo;

    private RunEvent(string name, object data, JsonTypeInfo typeInfo)
    {
        Name = name;
        this.data = data;
        this.typeInfo = typeInfo;
    }

    public string Name { get; }

    public object Data => data;

    /// <summary>True for the events after which a stream ends: a final status, or a pause for tool outputs.</summary>
    public bool EndsStream => Name is "thread.run.completed" or "thread.run.failed" or "thread.run.cancelled"
        or "thread.run.expired" or "thread.run.incomplete" or "thread.run.requires_action" or "error";

    public string SerializeData() => JsonSerializer.Serialize(data, typeInfo);

    public static RunEvent ForRun(string name, ThreadRun run) => new(name, run, CoreJsonContext.Default.ThreadRun);

    public static RunEvent ForThread(AssistantThread thread) => new("thread.created", thread, CoreJsonContext.Default.AssistantThread);

    public static RunEvent ForMessage(string name, ThreadMessage message) => new(name, message, CoreJsonContext.Default.ThreadMessage);

    public static RunEvent ForStep(string name, RunStep step) => new(name, step, CoreJsonContext.Default.RunStep);

    public static RunEvent ForDelta(string name, JsonObject delta) => new(name, delta, EngineJsonContext.Default.JsonObject);

    public static RunEvent ForError(RunError error) =>
        new("error", new JsonObject { ["code"] = error.Code, ["message"] = error.Message }, EngineJsonContext.Default.JsonObject);
}

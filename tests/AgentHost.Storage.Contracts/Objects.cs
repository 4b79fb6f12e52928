using AgentHost.Core.Domain;

namespace AgentHost.Storage.Contracts;

/// <summary>Minimal domain objects for the contracts: only what the stores look at is set.</summary>
public static class Objects
{
    public static Assistant Assistant(string? id = null, long createdAt = 1) =>
        new() { Id = id ?? IdGenerator.Assistant(), CreatedAt = createdAt, Model = "gpt-4o" };

    public static AssistantThread Thread(string? id = null) => new() { Id = id ?? IdGenerator.Thread(), CreatedAt = 1 };

    public static ThreadMessage Message(string threadId, string? runId = null, string status = MessageStatus.Completed, string? id = null) => new()
    {
        Id = id ?? IdGenerator.Message(),
        CreatedAt = 1,
        ThreadId = threadId,
        RunId = runId,
        Status = status,
        Role = runId is null ? MessageRoles.User : MessageRoles.Assistant,
        Content = [MessageContent.FromText("hello")],
    };

    public static ThreadRun Run(string threadId, string status = RunStatus.Queued, long? expiresAt = null) => new()
    {
        Id = IdGenerator.Run(),
        CreatedAt = 1,
        AssistantId = "asst_contract",
        ThreadId = threadId,
        Status = status,
        ExpiresAt = expiresAt,
        Model = "gpt-4o",
    };

    public static RunStep Step(ThreadRun run, string status = StepStatus.InProgress) => new()
    {
        Id = IdGenerator.Step(),
        CreatedAt = 1,
        RunId = run.Id,
        AssistantId = run.AssistantId,
        ThreadId = run.ThreadId,
        Type = "message_creation",
        Status = status,
        StepDetails = new StepDetails { Type = "message_creation" },
    };
}

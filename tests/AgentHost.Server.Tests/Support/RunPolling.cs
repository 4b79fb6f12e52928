using OpenAI.Assistants;

namespace AgentHost.Server.Tests.Support;

public static class RunPolling
{
    /// <summary>Polls like an SDK user would until the run leaves queued/in_progress (or the given status is reached).</summary>
    public static async Task<ThreadRun> WaitAsync(this AssistantClient client, ThreadRun run, Func<ThreadRun, bool>? until = null)
    {
        until ??= r => r.Status != RunStatus.Queued && r.Status != RunStatus.InProgress && r.Status != RunStatus.Cancelling;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!until(run))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Run {run.Id} stuck in {run.Status}.");
            await Task.Delay(20);
            run = await client.GetRunAsync(run.ThreadId, run.Id);
        }

        return run;
    }
}

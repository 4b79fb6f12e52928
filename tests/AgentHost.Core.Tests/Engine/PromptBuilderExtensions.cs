using AgentHost.Core.Domain;
using AgentHost.Core.Engine;
using AgentHost.Core.Storage;
using Microsoft.Extensions.AI;

namespace AgentHost.Core.Tests.Engine;

/// <summary>The prompt builder over a thread held in memory, paged newest first as a store pages it.</summary>
internal static class PromptBuilderExtensions
{
    public static Prompt Build(this PromptBuilder builder, ThreadRun run, IReadOnlyList<ThreadMessage> thread, IReadOnlyList<RunStep> steps, int budget) =>
        builder.Build(run, thread, null, steps, budget);

    public static Prompt Build(this PromptBuilder builder, ThreadRun run, IReadOnlyList<ThreadMessage> thread, IReadOnlyList<ChatMessage>? conversation,
        IReadOnlyList<RunStep> steps, int budget)
    {
        var history = thread.Select((m, i) => new HistoryMessage(m, i, null, null)).Where(m => m.Message.RunId != run.Id).Reverse().ToList();
        Task<IReadOnlyList<HistoryMessage>> Pages(long? before, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<HistoryMessage>>([.. history.Where(m => m.Cursor < (before ?? long.MaxValue)).Take(limit)]);

        // The pages are in memory, so the task has completed when it returns.
        return builder.BuildAsync(run, conversation, [.. thread.Where(m => m.RunId == run.Id)], Pages, steps, budget, CancellationToken.None).GetAwaiter().GetResult();
    }
}
